import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { formatHold, formatHoldNotice, liftHold, placeHold, readHold } from '../../src/config/guest-hold.js';
import { createSandboxInstallation } from './sandbox-installation.js';

describe('guest holds', () => {
  const box = createSandboxInstallation('vhashify-hold-');
  after(() => box.remove());
  let count = 0;
  const newCfgdir = (): Buffer => Buffer.from(box.addGuest(`g${++count}`).cfgdir);

  it('places a hold that names this process, reads it back as live, and lifts it', () => {
    const cfgdir = newCfgdir();
    assert.equal(readHold(cfgdir), undefined);
    assert.deepEqual(placeHold(cfgdir, 'vserver g1 exec apt-get -y upgrade'), { ok: true });
    const hold = readHold(cfgdir);
    assert.ok(hold !== undefined);
    assert.equal(hold.pid, process.pid);
    assert.equal(hold.host, hostname());
    assert.equal(hold.command, 'vserver g1 exec apt-get -y upgrade');
    assert.equal(hold.stale, false);
    assert.match(hold.since, /^\d{4}-\d\d-\d\dT/);
    liftHold(cfgdir);
    assert.equal(readHold(cfgdir), undefined);
  });

  it('refuses a second hold while the first holder runs', () => {
    const cfgdir = newCfgdir();
    assert.equal(placeHold(cfgdir, 'first').ok, true);
    const second = placeHold(cfgdir, 'second');
    assert.equal(second.ok, false);
    assert.equal(readHold(cfgdir)?.command, 'first');
  });

  it('takes a hold its holder left by dying as stale, and replaces it', () => {
    const cfgdir = newCfgdir();
    const path = join(cfgdir.toString(), 'apps/vunify/hold');
    writeFileSync(path, `pid=${process.pid}\nhost=${hostname()}\nuser=root\nsince=then\nstarted=1\nboot=x\ncommand=crashed\n`);
    assert.equal(readHold(cfgdir)?.stale, true, 'another boot');
    writeFileSync(path, 'torn');
    assert.equal(readHold(cfgdir)?.stale, true, 'a hold that says nothing usable');
    writeFileSync(path, `pid=${process.pid}\nhost=another-host\nsince=then\ncommand=elsewhere\n`);
    assert.equal(readHold(cfgdir)?.stale, undefined, 'from another host: cannot tell');
    writeFileSync(path, `pid=${process.pid}\nhost=${hostname()}\nsince=then\nstarted=1\ncommand=crashed\n`);
    const placed = placeHold(cfgdir, 'next');
    assert.equal(placed.ok, true);
    assert.equal(placed.ok && placed.replaced?.command, 'crashed');
    assert.match(readFileSync(path, 'utf8'), /^command=next$/m);
  });

  it('words a hold for the reports', () => {
    const cfgdir = newCfgdir();
    placeHold(cfgdir, 'apt-get -y upgrade');
    const hold = readHold(cfgdir)!;
    assert.equal(formatHold(hold), `pid ${process.pid} on ${hostname()} (${hold.user}) since ${hold.since}, for: apt-get -y upgrade`);
    assert.equal(formatHoldNotice(Buffer.from('g1'), cfgdir, hold).toString(), `vhashify: guest 'g1' is held (${formatHold(hold)}); skipped\n`);
    assert.match(formatHoldNotice(Buffer.from('g1'), cfgdir, { ...hold, stale: true }).toString(), /has a hold left by a run that did not finish .*remove '.*\/apps\/vunify\/hold' and hashify it\n$/);
  });
});
