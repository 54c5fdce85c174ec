// What a run would do with one file, decided by the run's own steps and changing nothing.
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, openSync, symlinkSync, utimesSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import { closePlanRoots, openPlanRoots, planFile, type FilePlan, type PlanRoot, type PlanSettings } from '../../src/commands/plan-file.js';
import type { Output } from '../../src/report/output.js';
import { findStorageRoots } from '../../src/store/storage-roots.js';
import { lstatAt } from '../../src/sys/file-stat.js';
import { createNoProtection } from '../../src/unify/protection.js';
import { createVserverProtection, hasVserverKernel } from '../../src/unify/vserver-protection.js';
import { openRootDir, releaseDir, type DirHandle } from '../../src/walk/dir-handle.js';
import { createTmpfsDir, removeTmpfsDir } from '../store/tmpfs-fixture.js';
import { listTree, writeFileWithMeta, type FileMeta } from '../unify/file-fixture.js';

const META: FileMeta = { uid: 0, gid: 0, mode: 0o644, mtime: new Date(1_500_000_000_000) };
const CONTENT = 'the same bytes in several places\n';
let base = '';
let guest: DirHandle;
let roots: PlanRoot[] = [];
const settings: PlanSettings = { algorithm: 'sha256', refresh: false, ignoreMtime: false, mode: 'copy', protection: createNoProtection() };

before(async () => {
  base = createTmpfsDir('plan-file');
  mkdirSync(join(base, 'hash', 'root'), { recursive: true });
  mkdirSync(join(base, 'guest'));
  // One run makes the entry for CONTENT from a file outside the guest, as a real run would.
  const out: Output = { out: () => undefined, err: () => undefined, flush: () => undefined };
  mkdirSync(join(base, 'seed'));
  writeFileWithMeta(join(base, 'seed', 'first'), CONTENT, META);
  const code = await main(['--protect', 'none', '--manually', '--destination', join(base, 'hash'), join(base, 'seed'), ''], {
    argv0: 'vhashify', cwd: base, env: { VHASHIFY_CACHE_DIR: join(base, 'cache') }, out,
  });
  assert.equal(code, 0);
  writeFileWithMeta(join(base, 'guest', 'twin'), CONTENT, META);
  writeFileWithMeta(join(base, 'guest', 'new'), 'bytes the store has never seen before\n', META);
  writeFileWithMeta(join(base, 'guest', 'tiny'), 'x', META);
  symlinkSync('new', join(base, 'guest', 'link'));
  guest = openRootDir(join(base, 'guest'));
  const found = findStorageRoots(join(base, 'hash'));
  assert.ok(!('error' in found));
  // A fresh cache: no inode index, so the slow path decides.
  roots = await openPlanRoots(found.roots, join(base, 'no-cache'));
});
after(() => {
  if (base === '') return;
  closePlanRoots(roots);
  releaseDir(guest);
  removeTmpfsDir(base);
});

function plan(name: string, overrides: Partial<PlanSettings> = {}, planRoots: readonly PlanRoot[] = roots): FilePlan {
  const bytes = Buffer.from(name);
  return planFile(guest.fd, bytes, lstatAt(guest.fd, bytes), planRoots, { ...settings, ...overrides });
}

describe('planFile', () => {
  it('links a file to the existing entry with its digest, after the bytes compare equal', () => {
    const twin = plan('twin');
    assert.equal(twin.kind, 'link');
    assert.match(twin.kind === 'link' ? twin.entryPath : '', new RegExp(`^${base}/hash/root/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{60}-00000000$`));
  });

  it('makes a new entry for bytes the store lacks, a copy or (sledgehammer) the file itself', () => {
    const copy = plan('new');
    assert.equal(copy.kind, 'create');
    assert.equal(copy.kind === 'create' && copy.mode, 'copy');
    const inPlace = plan('new', { mode: 'in-place' });
    assert.equal(inPlace.kind === 'create' && inPlace.mode, 'in-place');
  });

  it('gives the skip reasons of classification: too small, symlink, no storage root on the device', () => {
    assert.deepEqual([plan('tiny')].map((p) => p.kind === 'skip' && [p.reason, p.cause]), [['too small', 'too-small']]);
    assert.deepEqual([plan('link')].map((p) => p.kind === 'skip' && [p.reason, p.cause]), [['symlink', 'symlink']]);
    assert.deepEqual([plan('new', {}, [])].map((p) => p.kind === 'skip' && [p.reason, p.cause]), [['no matching device', 'no-root']]);
  });

  it("says 'operation not supported' under the vserver policy on a stock kernel, as upstream's run", (t) => {
    if (hasVserverKernel()) return t.skip('this kernel has Linux-VServer support');
    const result = plan('new', { protection: createVserverProtection() });
    assert.deepEqual(result.kind === 'skip' && [result.reason, result.cause], ['operation not supported', 'unsupported']);
  });

  it('leaves alone a file whose entry was changed in place, with no skip line (a run prints only its message)', () => {
    // Same size and attributes as the entry, other bytes: the digest of the file finds the entry, the bytes do not match.
    const twin = plan('twin');
    assert.equal(twin.kind, 'link');
    const entry = twin.kind === 'link' ? twin.entryPath : '';
    const fd = openSync(entry, 'r+');
    writeSync(fd, 'THE', 0);
    closeSync(fd);
    utimesSync(entry, META.mtime, META.mtime); // what a careful in-place writer does
    try {
      const result = plan('twin');
      assert.deepEqual(result.kind === 'skip' && [result.reason, result.cause, result.entryPath], [undefined, 'differs', entry]);
    } finally {
      const restore = openSync(entry, 'r+');
      writeSync(restore, 'the', 0);
      closeSync(restore);
      utimesSync(entry, META.mtime, META.mtime);
    }
  });

  it('changes nothing in the guest or the store', () => {
    const before = listTree(base);
    for (const name of ['twin', 'new', 'tiny', 'link']) plan(name);
    plan('new', { mode: 'in-place' });
    assert.deepEqual(listTree(base), before);
  });
});
