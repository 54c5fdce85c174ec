import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { computeBaseDir, detectConfigStyle, isPathForm, resolveGuest, type Guest, type GuestFailure, type GuestResolution } from '../../src/config/resolve-guest.js';
import { formatGuestFailureHint, RESOLUTION_FAILED_MESSAGE } from '../../src/config/guest-failure-hint.js';
import { createSandboxInstallation } from './sandbox-installation.js';

function expectGuest(result: GuestResolution): Guest {
  if (!result.ok) throw new Error(`resolution failed: ${result.failure.kind}`);
  return result.guest;
}

function expectFailure(result: GuestResolution): GuestFailure {
  if (result.ok) throw new Error('resolution succeeded');
  return result.failure;
}

describe('resolveGuest', () => {
  const box = createSandboxInstallation();
  after(() => box.remove());
  const { inst, confDir } = box;
  const g1 = box.addGuest('g1');
  box.addGuest('g2');
  const atRoot = { cwd: '/', env: {} };

  it('resolves a name below CONFDIR (SHORT) to absolute cfgdir, physical vdir and appdir', () => {
    const guest = expectGuest(resolveGuest(inst, 'g1', atRoot));
    assert.equal(guest.style, 'short');
    assert.equal(guest.name.toString(), 'g1');
    assert.equal(guest.cfgdir.toString(), `${confDir}/g1`);
    assert.equal(guest.vdir.toString(), g1.root);
    assert.equal(guest.appdir.toString(), `${confDir}/g1/apps/vunify`);
    assert.equal(guest.printed.appdir.toString(), `${confDir}/g1/apps/vunify`);
  });

  it('keeps a trailing slash in the name and in the concatenated appdir (g2/ → g2//apps/vunify)', () => {
    const guest = expectGuest(resolveGuest(inst, 'g2/', atRoot));
    assert.equal(guest.name.toString(), 'g2/');
    assert.equal(guest.appdir.toString(), `${confDir}/g2//apps/vunify`);
    assert.equal(guest.printed.appdir.toString(), `${confDir}/g2//apps/vunify`);
  });

  it('takes an absolute configuration-directory path as the FULL form', () => {
    const guest = expectGuest(resolveGuest(inst, `${confDir}/g1`, atRoot));
    assert.equal(guest.style, 'full');
    assert.equal(guest.name.toString(), `${confDir}/g1`);
    assert.equal(guest.vdir.toString(), g1.root);
  });

  it('resolves the vdir through every symlink, as chdir + getcwd does', () => {
    box.mkdir('real/place/g3root');
    symlinkSync(join(box.top, 'real/place'), join(box.top, 'vservers/link'));
    box.mkdir('etc/vservers/g3/apps/vunify');
    symlinkSync(join(box.top, 'vservers/link/g3root'), join(confDir, 'g3/vdir'));
    assert.equal(expectGuest(resolveGuest(inst, 'g3', atRoot)).vdir.toString(), join(box.top, 'real/place/g3root'));
  });

  it('recognises only /, ./ and ../ as path forms', () => {
    assert.deepEqual(
      ['/a', './a', '../a', 'a/b', '.', '..', '.a', 'a'].map((n) => isPathForm(Buffer.from(n))),
      [true, true, true, false, false, false, false, false],
    );
    // `x/y` is a name: CONFDIR/x/y, which is no guest here.
    assert.deepEqual(resolveGuest(inst, 'g1/vdir/..', atRoot).ok, false);
  });

  it('fails an unknown name with the directory it looked at', () => {
    const result = resolveGuest(inst, 'nosuch', atRoot);
    assert.deepEqual(result, { ok: false, failure: { kind: 'unknown', name: Buffer.from('nosuch'), cfgdir: Buffer.from(`${confDir}/nosuch`) } });
    assert.equal(formatGuestFailureHint(expectFailure(result)).always, false);
  });

  it('fails a guest without apps/vunify and says which directory to create, on every stream (Q05)', () => {
    box.addGuest('bare', { appdir: false });
    const result = resolveGuest(inst, 'bare', atRoot);
    const failure = expectFailure(result);
    assert.equal(failure.kind, 'no-appdir');
    const hint = formatGuestFailureHint(failure);
    assert.equal(hint.always, true);
    assert.equal(
      hint.text.toString(),
      `vhashify: '${confDir}/bare/apps/vunify' does not exist: hashify works only on guests that have it; create it with: mkdir -p ${confDir}/bare/apps/vunify\n`,
    );
    assert.equal(RESOLUTION_FAILED_MESSAGE, 'Failed to initialize unification for vserver\n');
  });

  it('quotes the mkdir path when it needs quoting', () => {
    box.addGuest("it's", { appdir: false });
    const result = resolveGuest(inst, "it's", atRoot);
    const failure = expectFailure(result);
    assert.match(formatGuestFailureHint(failure).text.toString(), /mkdir -p '.*\/it'\\''s\/apps\/vunify'\n$/);
  });

  it('fails a dangling vdir in both forms, naming the link in the hint', () => {
    box.mkdir('etc/vservers/dang/apps/vunify');
    symlinkSync(join(box.top, 'vservers/missing'), join(confDir, 'dang/vdir'));
    for (const name of ['dang', `${confDir}/dang`]) {
      const result = resolveGuest(inst, name, atRoot);
      const failure = expectFailure(result);
      assert.equal(failure.kind, 'no-vdir', name);
      const hint = formatGuestFailureHint(failure);
      assert.equal(hint.always, false);
      assert.match(hint.text.toString(), /dang\/vdir (does not lead to a directory \(ENOENT\)|is not a directory); point it at/);
    }
    assert.equal(detectConfigStyle(inst, Buffer.from(`${confDir}/dang`), Buffer.from('/')).style, 'full');
    assert.equal(detectConfigStyle(inst, Buffer.from('dang'), Buffer.from('/')).style, 'none');
  });

  it('detects legacy guests: a legacy file, or a .conf file beside a guest directory', () => {
    box.addGuest('old1');
    box.write('etc/vservers/old1/legacy');
    box.mkdir('vservers/old2');
    box.write('etc/vservers/old2.conf');
    for (const name of ['old1', 'old2', `${confDir}/old1`]) {
      assert.equal(detectConfigStyle(inst, Buffer.from(name), Buffer.from('/')).style, 'legacy', name);
      assert.equal(expectFailure(resolveGuest(inst, name, atRoot)).kind, 'legacy');
    }
  });

  it('resolves ./name against the working directory, printing the relative form', () => {
    const guest = expectGuest(resolveGuest(inst, './g1', { cwd: confDir, env: {} }));
    assert.equal(guest.style, 'full');
    assert.equal(guest.name.toString(), './g1');
    assert.equal(guest.cfgdir.toString(), `${confDir}/./g1`);
    assert.equal(guest.appdir.toString(), `${confDir}/./g1/apps/vunify`);
    assert.equal(guest.printed.appdir.toString(), './g1/apps/vunify');
    assert.equal(guest.vdir.toString(), g1.root);
  });

  it('resolves ./name against INIT_CWD when run from / as the vserver wrapper does (improvement over Q30)', () => {
    const guest = expectGuest(resolveGuest(inst, './g1', { cwd: '/', env: { INIT_CWD: confDir } }));
    assert.equal(guest.cfgdir.toString(), `${confDir}/./g1`);
    const parent = expectGuest(resolveGuest(inst, '../g1', { cwd: '/', env: { INIT_CWD: `${confDir}/.defaults` } }));
    assert.equal(parent.vdir.toString(), g1.root);
  });

  it('ignores INIT_CWD when the working directory is not /, and resolves against / without it', () => {
    assert.equal(computeBaseDir({ cwd: box.top, env: { INIT_CWD: confDir } }).toString(), box.top);
    assert.equal(computeBaseDir({ cwd: '/', env: { INIT_CWD: 'relative' } }).toString(), '/');
    assert.equal(resolveGuest(inst, './g1', { cwd: box.top, env: { INIT_CWD: confDir } }).ok, false);
    assert.deepEqual(expectFailure(resolveGuest(inst, './g1', atRoot)), { kind: 'unknown', name: Buffer.from('./g1'), cfgdir: Buffer.from('/./g1') });
  });

  it('resolves a name that is not UTF-8, keeping its bytes', () => {
    const name = Buffer.concat([Buffer.from('g'), Buffer.from([0xff])]);
    const root = Buffer.concat([Buffer.from(`${box.vserverDir}/g`), Buffer.from([0xff])]);
    const cfgdir = Buffer.concat([Buffer.from(`${confDir}/`), name]);
    mkdirSync(root);
    mkdirSync(Buffer.concat([cfgdir, Buffer.from('/apps/vunify')]), { recursive: true });
    symlinkSync(root, Buffer.concat([cfgdir, Buffer.from('/vdir')]));
    const guest = expectGuest(resolveGuest(inst, name, atRoot));
    assert.deepEqual(guest.name, name);
    assert.deepEqual(guest.vdir, root);
    assert.deepEqual(guest.appdir, Buffer.concat([cfgdir, Buffer.from('/apps/vunify')]));
  });
});
