import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { addStoreFigures, createStoreFigures, measureStoreRoot } from '../../src/store/store-figures.js';
import { readStoreInventory } from '../../src/store/store-inventory.js';
import { openRootDir, releaseDir } from '../../src/walk/dir-handle.js';
import { writeFileWithMeta } from '../unify/file-fixture.js';
import { linkEntry, writeEntry } from './entry-fixture.js';
import { createTmpfsDir, removeTmpfsDir } from './tmpfs-fixture.js';

let base = '';
before(() => {
  process.umask(0o022);
  base = createTmpfsDir('store-figures');
});
after(() => {
  if (base !== '') {
    spawnSync('chattr', ['-R', '-f', '-i', base]);
    removeTmpfsDir(base);
  }
});

test('entries, bytes, orphans, leftovers, what sharing saves and the entries that lack the flag are counted from the store alone', () => {
  const root = join(base, 'root');
  const guests = join(base, 'guests');
  mkdirSync(root);
  const three = writeEntry(root, 'linked by three guests: saves two copies\n'.repeat(200));
  const one = writeEntry(root, 'linked by one guest: saves nothing\n');
  const orphan = writeEntry(root, 'linked by no guest any more\n'.repeat(300));
  linkEntry(root, three, join(guests, 'a', 'f'), join(guests, 'b', 'f'), join(guests, 'c', 'f'));
  linkEntry(root, one, join(guests, 'a', 'g'));
  assert.equal(spawnSync('chattr', ['+i', join(root, three)]).status, 0);
  const leaf = one.slice(0, 5);
  writeFileWithMeta(join(root, leaf, 'ffff-00000000'), '', { uid: 0, gid: 0, mode: 0o200, mtime: new Date(1_000_000_000_000) });
  writeFileSync(join(root, leaf, 'ffff-00000000;AAAAAA'), 'a copy temporary\n');
  writeFileSync(join(root, 'README'), 'not ours\n');
  const st = (name: string) => lstatSync(join(root, name), { bigint: true });
  const handle = openRootDir(root);
  try {
    const figures = measureStoreRoot(handle.fd, readStoreInventory(handle), true);
    assert.deepEqual(figures, {
      entries: 3,
      inodes: 3,
      allocatedBytes: (st(three).blocks + st(one).blocks + st(orphan).blocks) * 512n,
      apparentBytes: st(three).size + st(one).size + st(orphan).size,
      orphans: 1,
      orphanBytes: st(orphan).blocks * 512n,
      unprotected: 1, // `one` is shared (a guest and the store) without the flag
      leftovers: 2,
      strays: 1,
      savedBytes: 2n * st(three).blocks * 512n,
      pageCacheSharedBytes: 2n * st(three).size,
    });
    const none = measureStoreRoot(handle.fd, readStoreInventory(handle), false);
    assert.equal(none.unprotected, 0, 'a policy without flags asks for none');
  } finally {
    releaseDir(handle);
  }
});

test('figures of several roots add up field by field', () => {
  const a = { ...createStoreFigures(), entries: 2, savedBytes: 10n };
  addStoreFigures(a, { ...createStoreFigures(), entries: 3, savedBytes: 5n, orphans: 1 });
  assert.deepEqual(a, { ...createStoreFigures(), entries: 5, savedBytes: 15n, orphans: 1 });
});
