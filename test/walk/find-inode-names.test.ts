import assert from 'node:assert/strict';
import { linkSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openRootDir, releaseDir } from '../../src/walk/dir-handle.js';
import { findInodeNames, formatInodeKey, releaseInodeNames } from '../../src/walk/find-inode-names.js';
import { createTmpfsDir, removeTmpfsDir } from '../store/tmpfs-fixture.js';

let base = '';
before(() => {
  base = createTmpfsDir('find-inode-names');
});
after(() => {
  if (base !== '') removeTmpfsDir(base);
});

test('every name of a wanted inode is found, in any directory; other inodes, symlinks and single links are not', () => {
  const guest = join(base, 'guest');
  mkdirSync(join(guest, 'etc', 'deep'), { recursive: true });
  writeFileSync(join(base, 'entry'), 'the store entry of the damaged file\n');
  writeFileSync(join(base, 'other'), 'another shared file\n');
  linkSync(join(base, 'entry'), join(guest, 'etc', 'a'));
  linkSync(join(base, 'entry'), join(guest, 'etc', 'deep', 'b'));
  linkSync(join(base, 'other'), join(guest, 'etc', 'c'));
  symlinkSync('a', join(guest, 'etc', 'link-to-a'));
  writeFileSync(join(guest, 'private'), 'private\n');
  const st = statSync(join(base, 'entry'), { bigint: true });
  const root = openRootDir(guest);
  try {
    const found = findInodeNames(root, new Map([[st.dev, new Set([st.ino])]]));
    const names = found.byInode.get(formatInodeKey(st.dev, st.ino)) ?? [];
    assert.deepEqual(names.map((n) => n.path.toString()).sort(), ['/etc/a', '/etc/deep/b']);
    assert.equal(found.byInode.size, 1);
    assert.deepEqual(found.failedDirs, []);
    for (const n of names) assert.equal(statSync(join(guest, n.path.toString()), { bigint: true }).ino, n.stat.ino);
    releaseInodeNames(found);
  } finally {
    releaseDir(root);
  }
});

test('the same inode number on another device is not a name of the wanted inode', () => {
  const guest = join(base, 'guest2');
  mkdirSync(guest);
  writeFileSync(join(guest, 'file'), 'x'.repeat(20));
  linkSync(join(guest, 'file'), join(guest, 'second'));
  const st = statSync(join(guest, 'file'), { bigint: true });
  const root = openRootDir(guest);
  try {
    const found = findInodeNames(root, new Map([[st.dev + 1n, new Set([st.ino])]]));
    assert.equal(found.byInode.size, 0);
  } finally {
    releaseDir(root);
  }
});
