import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AT_FDCWD, FS_IMMUTABLE_FL, O_NOFOLLOW, O_PATH, O_RDONLY, STATX_ATTR_IMMUTABLE } from '../../src/sys/constants.js';
import { getInodeFlags, setInodeFlags } from '../../src/sys/inode-flags.js';
import { fstatFd, lstatAt, lstatAtIfExists, statAt, statAtIfExists, FileStat } from '../../src/sys/file-stat.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { utimensAt } from '../../src/sys/file-meta.js';
import { createExt4Mount, createMemoryMount, openDirPath, type TestMount } from './fs-fixtures.js';

let ext4: TestMount;
let ramfs: TestMount;
let dirFd = -1;
before(() => {
  ext4 = createExt4Mount('file-stat');
  ramfs = createMemoryMount('file-stat', 'ramfs');
  writeFileSync(join(ext4.dir, 'file'), 'x'.repeat(100));
  symlinkSync('file', join(ext4.dir, 'link'));
  mkdirSync(join(ext4.dir, 'dir'));
  mkfifoSync(join(ext4.dir, 'fifo'));
  dirFd = openDirPath(ext4.dir);
});
after(() => {
  if (dirFd >= 0) closeFd(dirFd);
  ext4?.remove();
  ramfs?.remove();
});

/** The fields a BigIntStats has too (FileStat adds `attributes`, which Node does not report). */
const NODE_FIELDS = [
  'dev', 'ino', 'mode', 'nlink', 'uid', 'gid', 'rdev', 'size', 'blksize', 'blocks', 'atimeNs', 'mtimeNs', 'ctimeNs',
  'birthtimeNs',
] as const;
const FIELDS = [...NODE_FIELDS, 'attributes'] as const;

function assertSameAsNode(ours: FileStat, path: string): void {
  const node = lstatSync(path, { bigint: true });
  for (const field of NODE_FIELDS) assert.equal(ours[field], node[field], `${field} of ${path}`);
}

function mkfifoSync(path: string): void {
  assert.equal(spawnSync('mkfifo', [path]).status, 0);
}

test("every field equals Node's BigIntStats for a file, a symlink, a directory, a fifo and a device", () => {
  for (const name of ['file', 'link', 'dir', 'fifo']) assertSameAsNode(lstatAt(dirFd, Buffer.from(name)), join(ext4.dir, name));
  assertSameAsNode(lstatAt(AT_FDCWD, Buffer.from('/dev/null')), '/dev/null');
});

test('the type predicates answer like BigIntStats, from the prototype', () => {
  const kinds = (st: FileStat): string[] =>
    (['isFile', 'isDirectory', 'isSymbolicLink', 'isFIFO', 'isSocket', 'isBlockDevice', 'isCharacterDevice'] as const)
      .filter((method) => st[method]());
  assert.deepEqual(kinds(lstatAt(dirFd, Buffer.from('file'))), ['isFile']);
  assert.deepEqual(kinds(lstatAt(dirFd, Buffer.from('link'))), ['isSymbolicLink']);
  assert.deepEqual(kinds(statAt(dirFd, Buffer.from('link'))), ['isFile'], 'statAt follows the link');
  assert.deepEqual(kinds(lstatAt(dirFd, Buffer.from('dir'))), ['isDirectory']);
  assert.deepEqual(kinds(lstatAt(dirFd, Buffer.from('fifo'))), ['isFIFO']);
  assert.deepEqual(kinds(lstatAt(AT_FDCWD, Buffer.from('/dev/null'))), ['isCharacterDevice']);
});

test('two results are independent objects although the statx buffer is shared', () => {
  const file = lstatAt(dirFd, Buffer.from('file'));
  const dir = lstatAt(dirFd, Buffer.from('dir'));
  assert.equal(file.size, 100n);
  assert.equal(dir.isDirectory(), true);
  assert.notEqual(file.ino, dir.ino);
});

test('the fields are own data properties and a structured clone keeps them all, as for a BigIntStats', () => {
  const st = lstatAt(dirFd, Buffer.from('file'));
  assert.deepEqual(Object.keys(st), [...FIELDS]);
  assert.equal(Object.hasOwn(st, 'isFile'), false, 'methods live on the prototype');
  const copy = structuredClone(st) as unknown as Record<string, unknown>;
  for (const field of FIELDS) assert.equal(copy[field], st[field]);
});

test('fstatFd describes an open descriptor, an O_PATH one included', () => {
  const fd = openAt(dirFd, Buffer.from('link'), O_PATH | O_NOFOLLOW);
  try {
    assertSameAsNode(fstatFd(fd), join(ext4.dir, 'link'));
  } finally {
    closeFd(fd);
  }
  assert.equal(fstatFd(dirFd).ino, lstatSync(ext4.dir, { bigint: true }).ino);
});

test('times before 1970 come back with nanoseconds, as Node reads them', () => {
  utimensAt(dirFd, Buffer.from('file'), -1_500_000_001n, -86_400_000_000_007n);
  const st = lstatAt(dirFd, Buffer.from('file'));
  assert.equal(st.atimeNs, -1_500_000_001n);
  assert.equal(st.mtimeNs, -86_400_000_000_007n);
  assertSameAsNode(st, join(ext4.dir, 'file'));
  utimesSync(join(ext4.dir, 'file'), 1, 1);
});

test('ext4 reports a birth time; ramfs keeps none and gets 0n, like Node', () => {
  assert.ok(lstatAt(dirFd, Buffer.from('file')).birthtimeNs > 0n);
  writeFileSync(join(ramfs.dir, 'f'), 'x');
  const st = lstatAt(AT_FDCWD, Buffer.from(join(ramfs.dir, 'f')));
  assert.equal(st.birthtimeNs, 0n);
  assertSameAsNode(st, join(ramfs.dir, 'f'));
});

test('a missing name is undefined for the IfExists variants and an ENOENT SysError otherwise', () => {
  assert.equal(lstatAtIfExists(dirFd, Buffer.from('missing')), undefined);
  assert.equal(statAtIfExists(dirFd, Buffer.from('missing')), undefined);
  assert.equal(lstatAtIfExists(dirFd, Buffer.from('file'))?.size, 100n);
  assert.throws(() => lstatAt(dirFd, Buffer.from('missing')), { code: 'ENOENT', syscall: 'statx' });
  assert.throws(() => lstatAtIfExists(dirFd, Buffer.from('file/below')), { code: 'ENOTDIR' });
});

test('a name with a NUL byte is refused with EINVAL instead of being cut short', () => {
  assert.throws(() => lstatAt(dirFd, Buffer.from('file\0ignored')), { code: 'EINVAL', syscall: 'statx' });
});

test('names of arbitrary bytes, and paths longer than the scratch buffer, reach the kernel intact', () => {
  const odd = Buffer.from([0x66, 0xff, 0xfe, 0x0a, 0x80]);
  writeFileSync(Buffer.concat([Buffer.from(`${ext4.dir}/`), odd]), 'odd');
  assert.equal(lstatAt(dirFd, odd).size, 3n);
  const deep = Array.from({ length: 30 }, (_, i) => `${'d'.repeat(40)}${i}`).join('/');
  mkdirSync(join(ext4.dir, deep), { recursive: true });
  writeFileSync(join(ext4.dir, deep, 'leaf'), 'leaf!');
  const longName = Buffer.from(`${deep}/leaf`);
  assert.ok(longName.length > 1024);
  assert.equal(lstatAt(dirFd, longName).size, 5n);
  assert.equal(lstatAt(dirFd, Buffer.from('file')).size, 100n, 'the scratch buffer still works afterwards');
});

test('attributes report the immutable flag (statx STATX_ATTR_IMMUTABLE), so no ioctl is needed to see it', () => {
  writeFileSync(join(ext4.dir, 'locked'), 'a file that gets the immutable flag');
  const fd = openAt(dirFd, Buffer.from('locked'), O_RDONLY);
  try {
    assert.equal(lstatAt(dirFd, Buffer.from('locked')).attributes & STATX_ATTR_IMMUTABLE, 0);
    const flags = getInodeFlags(fd);
    setInodeFlags(fd, flags | FS_IMMUTABLE_FL);
    assert.equal(lstatAt(dirFd, Buffer.from('locked')).attributes & STATX_ATTR_IMMUTABLE, STATX_ATTR_IMMUTABLE);
    setInodeFlags(fd, flags);
    assert.equal(lstatAt(dirFd, Buffer.from('locked')).attributes & STATX_ATTR_IMMUTABLE, 0);
  } finally {
    closeFd(fd);
  }
});
