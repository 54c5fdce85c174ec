import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { copyGuestConfig, findVdirBase } from '../../src/config/clone-config.js';
import { createSandboxInstallation } from './sandbox-installation.js';

describe('copyGuestConfig', () => {
  const box = createSandboxInstallation('vhashify-clone-config-');
  after(() => box.remove());

  it('copies the configuration but the guest\'s identity, which it lists, and points vdir, run and cache at the new guest', () => {
    const { cfgdir } = box.addGuest('web1');
    box.write('etc/vservers/web1/context', '1001\n');
    box.write('etc/vservers/web1/name', 'web1\n');
    box.write('etc/vservers/web1/uts/nodename', 'web1.example.org\n');
    box.write('etc/vservers/web1/interfaces/0/ip', '192.0.2.10\n');
    box.write('etc/vservers/web1/interfaces/0/dev', 'eth0\n');
    box.write('etc/vservers/web1/apps/init/mark', 'default\n');
    box.write('etc/vservers/web1/apps/vunify/exclude', '~/etc/\n');
    box.write('etc/vservers/web1/apps/vunify/hold', 'pid=1\n');
    box.write('etc/vservers/web1/flags', 'lock\n');
    symlinkSync('/var/run/vservers/web1', join(cfgdir, 'run'));
    symlinkSync('/etc/vservers/.defaults/cachebase/web1', join(cfgdir, 'cache'));
    symlinkSync('/vservers/.hash', join(cfgdir, 'apps/vunify/hashlink'));
    const dest = join(box.confDir, 'web2');
    const skipped = copyGuestConfig(Buffer.from(cfgdir), Buffer.from(dest), Buffer.from('web1'), Buffer.from('web2'), Buffer.from('/vservers/web2'));
    assert.deepEqual(skipped.map(String), ['context', 'interfaces/0/dev', 'interfaces/0/ip', 'name', 'uts/nodename']);
    assert.equal(readlinkSync(join(dest, 'vdir')), '/vservers/web2');
    assert.equal(readlinkSync(join(dest, 'run')), '/var/run/vservers/web2');
    assert.equal(readlinkSync(join(dest, 'cache')), '/etc/vservers/.defaults/cachebase/web2');
    assert.equal(readlinkSync(join(dest, 'apps/vunify/hashlink')), '/vservers/.hash');
    assert.equal(readFileSync(join(dest, 'apps/vunify/exclude'), 'utf8'), '~/etc/\n');
    assert.equal(readFileSync(join(dest, 'flags'), 'utf8'), 'lock\n');
    assert.equal(readFileSync(join(dest, 'apps/init/mark'), 'utf8'), 'default\n');
    for (const gone of ['context', 'name', 'uts', 'interfaces', 'apps/vunify/hold']) assert.throws(() => lstatSync(join(dest, gone)), { code: 'ENOENT' }, gone);
  });

  it('refuses a destination that exists', () => {
    const { cfgdir } = box.addGuest('db1');
    mkdirSync(join(box.confDir, 'db2'));
    writeFileSync(join(box.confDir, 'db2', 'context'), '7\n');
    assert.throws(() => copyGuestConfig(Buffer.from(cfgdir), Buffer.from(join(box.confDir, 'db2')), Buffer.from('db1'), Buffer.from('db2'), Buffer.from('/v')), { code: 'EEXIST' });
    assert.equal(readFileSync(join(box.confDir, 'db2', 'context'), 'utf8'), '7\n');
  });
});

describe('findVdirBase', () => {
  const box = createSandboxInstallation('vhashify-vdirbase-');
  after(() => box.remove());

  it('takes .defaults/vdirbase when it leads to a directory, else the default vservers directory', () => {
    assert.equal(findVdirBase(box.inst).toString(), box.vserverDir);
    const elsewhere = box.mkdir('srv/guests');
    symlinkSync(elsewhere, join(box.confDir, '.defaults/vdirbase'));
    assert.equal(findVdirBase(box.inst).toString(), join(box.confDir, '.defaults/vdirbase'));
  });
});
