import assert from 'node:assert/strict';
import { mkdirSync, opendirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { findStorageRoots, isSameDevice, type StorageRoot } from '../../src/store/storage-roots.js';
import { createTmpfsAt, createTmpfsDir, removeTmpfsDir } from './tmpfs-fixture.js';

// Everything lives on a tmpfs of its own: its readdir() returns the newest entry first, which
// lets the tests choose the raw order.
let base = '';
let counter = 0;
before(() => {
  base = createTmpfsDir('storage-roots');
});
after(() => {
  if (base !== '') removeTmpfsDir(base);
});

function createHashDir(): string {
  const dir = join(base, `hash${counter++}`);
  mkdirSync(dir);
  return dir;
}

function readRawOrder(dir: string): string[] {
  const handle = opendirSync(dir);
  const names: string[] = [];
  for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) names.push(entry.name);
  handle.closeSync();
  return names;
}

function findOk(hashDir: string | Buffer): { roots: StorageRoot[]; duplicates: Buffer[] } {
  const result = findStorageRoots(hashDir);
  if ('error' in result) assert.fail(`unexpected error: ${result.error.toString('latin1')}`);
  return result;
}

function namesOf(list: ReadonlyArray<Buffer | StorageRoot>): string[] {
  return list.map((item) => (Buffer.isBuffer(item) ? item : item.name).toString('latin1'));
}

test('the first directory in raw readdir order wins, later ones on its device are duplicates', () => {
  const dir = createHashDir();
  mkdirSync(join(dir, 'a'));
  mkdirSync(join(dir, 'b'));
  assert.deepEqual(readRawOrder(dir), ['b', 'a'], 'tmpfs lists the newest entry first');
  assert.deepEqual(readdirSync(dir), ['a', 'b'], 'a sorted listing would pick the other one');
  const found = findOk(dir);
  assert.deepEqual(namesOf(found.roots), ['b']);
  assert.deepEqual(namesOf(found.duplicates), ['a']);
  assert.equal(found.roots[0]!.dev, statSync(join(dir, 'b'), { bigint: true }).dev);
});

test('a symlink to a directory counts, dangling links and files are ignored', () => {
  const dir = createHashDir();
  writeFileSync(join(dir, 'method'), 'sha1\n');
  writeFileSync(join(dir, 'README'), 'not a directory\n');
  symlinkSync('nowhere', join(dir, 'dangling'));
  symlinkSync('method', join(dir, 'file-link'));
  symlinkSync('root', join(dir, 'c'));
  mkdirSync(join(dir, 'root'));
  assert.deepEqual(readRawOrder(dir), ['root', 'c', 'file-link', 'dangling', 'README', 'method']);
  const found = findOk(dir);
  assert.deepEqual(namesOf(found.roots), ['root']);
  assert.deepEqual(namesOf(found.duplicates), ['c']);
});

test('a symlink listed before the directory it points to becomes the root', () => {
  const dir = createHashDir();
  mkdirSync(join(dir, 'store'));
  symlinkSync('store', join(dir, 'link'));
  const found = findOk(dir);
  assert.deepEqual(namesOf(found.roots), ['link']);
  assert.equal(found.roots[0]!.path, `${dir}/link/`);
  assert.deepEqual(namesOf(found.duplicates), ['store']);
});

test('an entry on a second file system is a second root', () => {
  const dir = createHashDir();
  const fs2 = join(base, `fs2-${counter++}`);
  mkdirSync(fs2);
  createTmpfsAt(fs2, '1m');
  mkdirSync(join(fs2, 'store'));
  mkdirSync(join(dir, 'local'));
  symlinkSync(join(fs2, 'store'), join(dir, 'other'));
  const found = findOk(dir);
  assert.deepEqual(namesOf(found.roots), ['other', 'local']);
  assert.deepEqual(found.duplicates, []);
  const [other, local] = found.roots as [StorageRoot, StorageRoot];
  assert.equal(other.dev, statSync(fs2, { bigint: true }).dev);
  assert.equal(local.dev, statSync(base, { bigint: true }).dev);
  assert.notEqual(other.dev, local.dev);
  assert.equal(other.path, `${dir}/other/`);
  assert.deepEqual(other.pathBytes, Buffer.from(`${dir}/other/`));
});

test('names starting with a dot are considered, only . and .. are skipped', () => {
  const dir = createHashDir();
  mkdirSync(join(dir, '.hash'));
  assert.deepEqual(namesOf(findOk(dir).roots), ['.hash']);
});

test('root paths drop the trailing slashes of the hash dir and end in one', () => {
  const dir = createHashDir();
  mkdirSync(join(dir, 'root'));
  const found = findOk(`${dir}//`);
  assert.equal(found.roots[0]!.path, `${dir}/root/`);
});

test('non-UTF-8 bytes in the hash dir and entry names are kept exactly', () => {
  const dir = Buffer.concat([Buffer.from(join(base, `odd${counter++}-`)), Buffer.from([0xfe])]);
  mkdirSync(dir);
  const name = Buffer.from([0x72, 0xff]);
  mkdirSync(Buffer.concat([dir, Buffer.from('/'), name]));
  const found = findOk(dir);
  assert.deepEqual(found.roots[0]!.name, name);
  assert.deepEqual(found.roots[0]!.pathBytes, Buffer.concat([dir, Buffer.from('/'), name, Buffer.from('/')]));
});

test('a hash dir without any directory entry is an error naming the hash dir', () => {
  const dir = createHashDir();
  writeFileSync(join(dir, 'method'), 'sha256\n');
  writeFileSync(join(dir, 'blocks'), 'all\n');
  assert.deepEqual(findStorageRoots(dir), {
    error: Buffer.from(`Could not find a place for the hashified files at '${dir}'.`),
    reason: 'no-storage-root',
  });
});

test('a hash dir that is missing or not a directory fails like upstream\'s chdir()', () => {
  assert.deepEqual(findStorageRoots(join(base, 'no-such-hash')),
    { error: Buffer.from('chdir(): No such file or directory'), reason: 'unreadable-hash-dir' });
  const file = join(base, `plain-file-${counter++}`);
  writeFileSync(file, '');
  assert.deepEqual(findStorageRoots(file), { error: Buffer.from('chdir(): Not a directory'), reason: 'unreadable-hash-dir' });
  assert.deepEqual(findStorageRoots(''), { error: Buffer.from('chdir(): No such file or directory'), reason: 'unreadable-hash-dir' });
});

test('devices are compared in full, not truncated to 32 bits (QUIRK Q20 not reproduced)', () => {
  assert.equal(isSameDevice(0x803n, 0x803n), true);
  assert.equal(isSameDevice(0x803n, 0x1_0000_0803n), false);
});
