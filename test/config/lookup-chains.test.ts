// The three lookup chains of a resolved guest: exclude list (spec 3.1), hash dir (5.1) and the
// package-management switch (2.4), each link of each chain in order.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findExcludeFile } from '../../src/config/find-exclude-file.js';
import { findHashDir } from '../../src/config/find-hash-dir.js';
import { findPkgmgmtSwitch } from '../../src/config/find-pkgmgmt-switch.js';
import { computeBaseDir, resolveGuest, type Guest } from '../../src/config/resolve-guest.js';
import { createSandboxInstallation } from './sandbox-installation.js';

describe('lookup chains', () => {
  const box = createSandboxInstallation();
  after(() => box.remove());
  const { inst, confDir } = box;
  const defaultsApp = `${confDir}/.defaults/apps/vunify`;
  let count = 0;
  // A fresh guest per test, so each test sets up exactly the links it looks at.
  const newGuest = (name = `g${++count}`): Guest => {
    box.addGuest(name);
    const result = resolveGuest(inst, name, { cwd: '/', env: {} });
    if (!result.ok) throw new Error(result.failure.kind);
    return result.guest;
  };

  describe('findExcludeFile', () => {
    it('takes the guest file first, even an empty one', () => {
      const guest = newGuest();
      box.write(`etc/vservers/${guest.name}/apps/vunify/exclude`, '');
      box.write('etc/vservers/.defaults/apps/vunify/exclude', '/x\n');
      assert.deepEqual(findExcludeFile(inst, guest), { path: Buffer.from(`${guest.appdir}/exclude`), source: 'guest', readable: true });
    });

    it('takes .defaults when the guest has none', () => {
      const guest = newGuest();
      assert.deepEqual(findExcludeFile(inst, guest), { path: Buffer.from(`${defaultsApp}/exclude`), source: 'defaults', readable: true });
    });

    it('falls back to the packaged default, and says when it cannot be read (Q08)', () => {
      const guest = newGuest();
      // An installation whose CONFDIR has no .defaults exclude file.
      const other = { confDir: Buffer.from(join(box.top, 'elsewhere')), defaultsDir: inst.defaultsDir };
      assert.deepEqual(findExcludeFile(other, guest), { path: Buffer.from(`${box.defaultsDir}/vunify-exclude`), source: 'packaged', readable: false });
      box.write('usr/share/util-vserver/defaults/vunify-exclude', '/proc\n');
      assert.equal(findExcludeFile(other, guest).readable, true);
    });

    it('follows symlinks and skips a dangling guest exclude link', () => {
      const guest = newGuest();
      symlinkSync(join(box.top, 'nowhere'), `${guest.appdir}/exclude`);
      assert.equal(findExcludeFile(inst, guest).source, 'defaults');
    });
  });

  describe('findHashDir', () => {
    const base = Buffer.from('/');

    it('takes the guest hash dir over .defaults, printed as upstream builds it', () => {
      box.mkdir('etc/vservers/.defaults/apps/vunify/hash');
      box.addGuest('h1');
      box.mkdir('etc/vservers/h1/apps/vunify/hash');
      const result = resolveGuest(inst, 'h1/', { cwd: '/', env: {} });
      assert.ok(result.ok);
      assert.deepEqual(findHashDir(inst, result.guest, undefined, base), {
        path: Buffer.from(`${confDir}/h1//apps/vunify/hash`),
        printed: Buffer.from(`${confDir}/h1//apps/vunify/hash`),
        source: 'guest',
      });
    });

    it('takes .defaults when the guest has none, and a symlink to a directory counts', () => {
      const guest = newGuest();
      assert.equal(findHashDir(inst, guest, undefined, base)?.source, 'defaults');
      const linked = newGuest();
      box.mkdir('stores/h');
      symlinkSync(join(box.top, 'stores/h'), `${linked.appdir}/hash`);
      assert.equal(findHashDir(inst, linked, undefined, base)?.source, 'guest');
    });

    it('finds none when neither exists', () => {
      const guest = newGuest();
      const bare = { ...inst, confDir: Buffer.from(join(box.top, 'elsewhere')) };
      assert.equal(findHashDir(bare, guest, undefined, base), undefined);
    });

    it('uses --destination first, anchored to the user directory but printed as typed (Q04, Q22)', () => {
      const guest = newGuest();
      box.mkdir(`etc/vservers/${guest.name}/apps/vunify/hash`);
      assert.deepEqual(findHashDir(inst, guest, '/srv/hash', base), { path: Buffer.from('/srv/hash'), printed: Buffer.from('/srv/hash'), source: 'destination' });
      const wrapperBase = computeBaseDir({ cwd: '/', env: { INIT_CWD: '/home/admin' } });
      assert.deepEqual(findHashDir(inst, guest, 'store', wrapperBase), {
        path: Buffer.from('/home/admin/store'),
        printed: Buffer.from('store'),
        source: 'destination',
      });
    });

    it('keeps ./name hash dirs usable: absolute path, relative printed string (Q07)', () => {
      box.addGuest('rel');
      box.mkdir('etc/vservers/rel/apps/vunify/hash');
      const result = resolveGuest(inst, './rel', { cwd: '/', env: { INIT_CWD: confDir } });
      assert.ok(result.ok);
      assert.deepEqual(findHashDir(inst, result.guest, undefined, base), {
        path: Buffer.from(`${confDir}/./rel/apps/vunify/hash`),
        printed: Buffer.from('./rel/apps/vunify/hash'),
        source: 'guest',
      });
    });
  });

  describe('findPkgmgmtSwitch', () => {
    it('is on without any flag file', () => {
      const bare = { confDir: Buffer.from(join(box.top, 'elsewhere')) };
      assert.deepEqual(findPkgmgmtSwitch(bare, newGuest()), { enabled: true });
    });

    it('checks the guest ignore, guest force, .defaults ignore, .defaults force in that order', () => {
      mkdirSync(join(box.top, 'flags/.defaults/apps/vunify'), { recursive: true });
      const flags = { confDir: Buffer.from(join(box.top, 'flags')) };
      const flagDefaults = (flag: string): string => join(box.top, 'flags/.defaults/apps/vunify', flag);
      const guest = newGuest();
      const own = (flag: string): string => `${guest.appdir}/${flag}`;
      writeFileSync(flagDefaults('pkgmgmt-force'), '');
      assert.deepEqual(findPkgmgmtSwitch(flags, guest), { enabled: true, decidedBy: Buffer.from(flagDefaults('pkgmgmt-force')) });
      writeFileSync(flagDefaults('pkgmgmt-ignore'), '');
      assert.deepEqual(findPkgmgmtSwitch(flags, guest), { enabled: false, decidedBy: Buffer.from(flagDefaults('pkgmgmt-ignore')) });
      writeFileSync(own('pkgmgmt-force'), '');
      assert.deepEqual(findPkgmgmtSwitch(flags, guest), { enabled: true, decidedBy: Buffer.from(own('pkgmgmt-force')) });
      writeFileSync(own('pkgmgmt-ignore'), '');
      assert.deepEqual(findPkgmgmtSwitch(flags, guest), { enabled: false, decidedBy: Buffer.from(own('pkgmgmt-ignore')) });
    });

    it('does not know the documented misspelling pgkmgmt-force (Q06)', () => {
      const guest = newGuest();
      box.write(`etc/vservers/${guest.name}/apps/vunify/pgkmgmt-force`);
      box.write('etc/vservers/.defaults/apps/vunify/pkgmgmt-ignore');
      assert.equal(findPkgmgmtSwitch(inst, guest).enabled, false);
    });

    it('ignores a flag that is a dangling symlink (access fails)', () => {
      const guest = newGuest();
      symlinkSync(join(box.top, 'nowhere'), `${guest.appdir}/pkgmgmt-force`);
      box.write('etc/vservers/.defaults/apps/vunify/pkgmgmt-ignore');
      assert.equal(findPkgmgmtSwitch(inst, guest).enabled, false);
    });
  });
});
