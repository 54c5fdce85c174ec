import assert from 'node:assert/strict';
import { linkSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isPlaceholder, planGarbage } from '../../src/store/plan-garbage.js';
import { readStoreInventory } from '../../src/store/store-inventory.js';
import { openRootDir, releaseDir } from '../../src/walk/dir-handle.js';
import { writeFileWithMeta } from '../unify/file-fixture.js';
import { linkEntry, writeEntry } from './entry-fixture.js';
import { createTmpfsDir, removeTmpfsDir } from './tmpfs-fixture.js';

let base = '';
let counter = 0;
before(() => {
  process.umask(0o022);
  base = createTmpfsDir('plan-garbage');
});
after(() => {
  if (base !== '') removeTmpfsDir(base);
});

function createRoot(): { root: string; guest: string } {
  const dir = join(base, `s${counter++}`);
  mkdirSync(join(dir, 'root'), { recursive: true });
  mkdirSync(join(dir, 'guest'), { recursive: true });
  return { root: join(dir, 'root'), guest: join(dir, 'guest') };
}

function plan(root: string): { items: string[]; strays: string[]; bytes: bigint } {
  const handle = openRootDir(root);
  try {
    const result = planGarbage(handle.fd, readStoreInventory(handle));
    return {
      items: result.items.map((i) => `${i.kind}: ${i.name.toString()}`),
      strays: result.strays.map(String).sort(),
      bytes: result.items.reduce((sum, i) => sum + i.bytes, 0n),
    };
  } finally {
    releaseDir(handle);
  }
}

test('an entry a guest links stays; one with link count 1 goes, with its fan-out directories once they are empty', () => {
  const { root, guest } = createRoot();
  const used = writeEntry(root, 'a file both guests still use, 1\n');
  const orphan = writeEntry(root, 'a file no guest uses any more, 2\n');
  linkEntry(root, used, join(guest, 'used'));
  const result = plan(root);
  const orphanDir = orphan.slice(0, 5);
  assert.deepEqual(result.items, [
    `orphaned entry: ${orphan}`,
    ...(orphanDir === used.slice(0, 5) ? [] : [`empty directory: ${orphanDir}`]),
    ...(orphan.slice(0, 2) === used.slice(0, 2) ? [] : [`empty directory: ${orphan.slice(0, 2)}`]),
  ]);
  assert.equal(result.bytes, statSync(join(root, orphan), { bigint: true }).blocks * 512n);
  assert.deepEqual(result.strays, []);
});

test('an inode whose only links are two store names goes under both names, its bytes counted once', () => {
  const { root } = createRoot();
  const name = writeEntry(root, 'one inode, two entry names in the store\n');
  const second = writeEntry(root, 'another content, to give a second name\n');
  linkSync(join(root, name), join(root, `${second.slice(0, -1)}1`));
  const handle = openRootDir(root);
  try {
    const result = planGarbage(handle.fd, readStoreInventory(handle));
    const forInode = result.items.filter((i) => i.name.toString() === name || i.name.toString() === `${second.slice(0, -1)}1`);
    assert.equal(forInode.length, 2);
    assert.deepEqual(forInode.map((i) => i.maxLinks), [2n, 1n]);
    assert.equal(forInode.filter((i) => i.bytes > 0n).length, 1);
  } finally {
    releaseDir(handle);
  }
});

test("placeholders, copy temporaries and the root's .vhashify-tmp go; names vhashify does not make stay", () => {
  const { root, guest } = createRoot();
  const used = writeEntry(root, 'an entry a guest uses, to keep its directories\n');
  linkEntry(root, used, join(guest, 'used'));
  const leaf = used.slice(0, 5);
  const placeholder = `${leaf}/abcdef-00000000`;
  writeFileWithMeta(join(root, placeholder), '', { uid: 0, gid: 0, mode: 0o200, mtime: new Date(1_000_000_000_000) });
  writeFileSync(join(root, `${leaf}/abcdef-00000000;Xy12Z9`), 'a copy a crashed run left beside its slot\n');
  mkdirSync(join(root, '.vhashify-tmp'));
  writeFileSync(join(root, '.vhashify-tmp', 'copy;AbCdE1'), 'a copy a crashed run left in the temporary directory\n');
  writeFileSync(join(root, `${leaf}/notes.txt`), 'an admin wrote this here\n');
  writeFileSync(join(root, 'README'), 'so did this\n');
  const result = plan(root);
  assert.deepEqual([...result.items].sort(), [
    'empty directory: .vhashify-tmp',
    `placeholder: ${placeholder}`,
    'temporary: .vhashify-tmp/copy;AbCdE1',
    `temporary: ${leaf}/abcdef-00000000;Xy12Z9`,
  ]);
  assert.deepEqual(result.strays, ['README', `${leaf}/notes.txt`]);
});

test('an empty fan-out directory goes, and a directory that keeps a name it does not know stays', () => {
  const { root } = createRoot();
  mkdirSync(join(root, 'ab', 'cd'), { recursive: true });
  mkdirSync(join(root, 'ef', '01'), { recursive: true });
  writeFileSync(join(root, 'ef', 'stray'), 'not ours\n');
  const result = plan(root);
  assert.deepEqual([...result.items].sort(), ['empty directory: ab', 'empty directory: ab/cd', 'empty directory: ef/01']);
  assert.deepEqual(result.strays, ['ef/stray']);
});

test('a placeholder is an empty file of mode 0200, nothing else', () => {
  const stat = (size: bigint, mode: bigint, file = true) => ({ size, mode, isFile: () => file });
  assert.equal(isPlaceholder(stat(0n, 0o100200n)), true);
  assert.equal(isPlaceholder(stat(1n, 0o100200n)), false);
  assert.equal(isPlaceholder(stat(0n, 0o100644n)), false);
  assert.equal(isPlaceholder(stat(0n, 0o40200n, false)), false);
});
