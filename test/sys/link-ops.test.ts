import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AT_REMOVEDIR, AT_SYMLINK_FOLLOW, RENAME_EXCHANGE, RENAME_NOREPLACE } from '../../src/sys/constants.js';
import { lstatAt, lstatAtIfExists } from '../../src/sys/file-stat.js';
import { linkAt, mkdirAt, mknodAt, readlinkAt, renameAt2, symlinkAt, unlinkAt } from '../../src/sys/link-ops.js';
import { closeFd } from '../../src/sys/open-at.js';
import { createMemoryMount, openDirPath, type TestMount } from './fs-fixtures.js';

let fs: TestMount;
let dirFd = -1;
let otherFd = -1;
let counter = 0;
before(() => {
  fs = createMemoryMount('link-ops', 'tmpfs');
  mkdirSync(join(fs.dir, 'other'));
  dirFd = openDirPath(fs.dir);
  otherFd = openDirPath(join(fs.dir, 'other'));
});
after(() => {
  for (const fd of [dirFd, otherFd]) if (fd >= 0) closeFd(fd);
  fs?.remove();
});

function createFile(content: string): Buffer {
  const name = Buffer.from(`f${counter++}`);
  writeFileSync(join(fs.dir, name.toString()), content);
  return name;
}

const b = (s: string): Buffer => Buffer.from(s);

test('linkAt gives the same inode a second name in another open directory', () => {
  const name = createFile('shared');
  linkAt(dirFd, name, otherFd, b('linked'));
  const a = lstatAt(dirFd, name);
  const c = lstatAt(otherFd, b('linked'));
  assert.equal(c.ino, a.ino);
  assert.equal(a.nlink, 2n);
});

test('linkAt links a symlink itself unless AT_SYMLINK_FOLLOW is given', () => {
  const target = createFile('target');
  symlinkSync(target.toString(), join(fs.dir, 'sym'));
  linkAt(dirFd, b('sym'), dirFd, b('sym-link'));
  assert.equal(lstatAt(dirFd, b('sym-link')).isSymbolicLink(), true);
  linkAt(dirFd, b('sym'), dirFd, b('sym-followed'), AT_SYMLINK_FOLLOW);
  assert.equal(lstatAt(dirFd, b('sym-followed')).ino, lstatAt(dirFd, target).ino);
});

test('linkAt onto an existing name fails with EEXIST and changes nothing', () => {
  const a = createFile('a');
  const c = createFile('c');
  assert.throws(() => linkAt(dirFd, a, dirFd, c), { code: 'EEXIST', syscall: 'linkat' });
  assert.equal(readFileSync(join(fs.dir, c.toString()), 'utf8'), 'c');
});

test('renameAt2 with RENAME_NOREPLACE refuses to replace, and leaves both files', () => {
  const a = createFile('first');
  const c = createFile('second');
  assert.throws(() => renameAt2(dirFd, a, dirFd, c, RENAME_NOREPLACE), { code: 'EEXIST', syscall: 'renameat2' });
  assert.equal(readFileSync(join(fs.dir, a.toString()), 'utf8'), 'first');
  assert.equal(readFileSync(join(fs.dir, c.toString()), 'utf8'), 'second');
  renameAt2(dirFd, a, otherFd, b('moved'), RENAME_NOREPLACE);
  assert.equal(lstatAtIfExists(dirFd, a), undefined);
  assert.equal(readFileSync(join(fs.dir, 'other', 'moved'), 'utf8'), 'first');
});

test('renameAt2 with RENAME_EXCHANGE swaps two names atomically', () => {
  const a = createFile('one');
  const c = createFile('two');
  const inoA = lstatAt(dirFd, a).ino;
  const inoC = lstatAt(dirFd, c).ino;
  renameAt2(dirFd, a, dirFd, c, RENAME_EXCHANGE);
  assert.equal(lstatAt(dirFd, a).ino, inoC);
  assert.equal(lstatAt(dirFd, c).ino, inoA);
});

test('renameAt2 without flags replaces the target', () => {
  const a = createFile('new');
  const c = createFile('old');
  const ino = lstatAt(dirFd, a).ino;
  renameAt2(dirFd, a, dirFd, c);
  assert.equal(lstatAt(dirFd, c).ino, ino);
  assert.equal(lstatAtIfExists(dirFd, a), undefined);
});

test('unlinkAt removes a file, and a directory only with AT_REMOVEDIR', () => {
  const a = createFile('gone');
  unlinkAt(dirFd, a);
  assert.equal(lstatAtIfExists(dirFd, a), undefined);
  mkdirAt(dirFd, b('empty'), 0o755);
  assert.throws(() => unlinkAt(dirFd, b('empty')), { code: 'EISDIR', syscall: 'unlinkat' });
  unlinkAt(dirFd, b('empty'), AT_REMOVEDIR);
  assert.equal(lstatAtIfExists(dirFd, b('empty')), undefined);
});

test('mkdirAt applies the mode through the umask and refuses an existing name', () => {
  const old = process.umask(0o022);
  try {
    mkdirAt(dirFd, b('made'), 0o777);
  } finally {
    process.umask(old);
  }
  assert.equal(lstatSync(join(fs.dir, 'made')).mode & 0o7777, 0o755);
  assert.throws(() => mkdirAt(dirFd, b('made'), 0o700), { code: 'EEXIST', syscall: 'mkdirat' });
});

test('symlinkAt and readlinkAt keep a target of arbitrary bytes', () => {
  const target = Buffer.from([0x2e, 0x2e, 0x2f, 0xff, 0x0a, 0xc3, 0x28]);
  symlinkAt(target, otherFd, b('odd-link'));
  assert.deepEqual(readlinkAt(otherFd, b('odd-link')), target);
  assert.deepEqual(readlinkSync(join(fs.dir, 'other', 'odd-link'), { encoding: 'buffer' }), target);
  assert.throws(() => readlinkAt(dirFd, createFile('not a link')), { code: 'EINVAL', syscall: 'readlinkat' });
});

test('mknodAt makes a device node with the rdev lstat reports, a FIFO and a socket', () => {
  const old = process.umask(0);
  try {
    mknodAt(dirFd, b('null'), 0o020666, 0x103n);
    mknodAt(dirFd, b('fifo'), 0o010640, 0n);
    mknodAt(dirFd, b('sock'), 0o140755, 0n);
  } finally {
    process.umask(old);
  }
  const dev = lstatAt(dirFd, b('null'));
  assert.ok(dev.isCharacterDevice());
  assert.equal(dev.rdev, lstatSync('/dev/null', { bigint: true }).rdev);
  assert.equal(Number(dev.mode) & 0o7777, 0o666);
  assert.ok(lstatAt(dirFd, b('fifo')).isFIFO());
  assert.ok(lstatAt(dirFd, b('sock')).isSocket());
  assert.throws(() => mknodAt(dirFd, b('fifo'), 0o010600, 0n), { code: 'EEXIST', syscall: 'mknodat' });
});
