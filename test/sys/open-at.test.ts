import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  AT_FDCWD, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_RDONLY, O_WRONLY,
} from '../../src/sys/constants.js';
import { fstatFd, lstatAt } from '../../src/sys/file-stat.js';
import { writeFullyAt } from '../../src/sys/file-io.js';
import { linkFdAt } from '../../src/sys/link-ops.js';
import { closeFd, openAt, openTmpFileIn } from '../../src/sys/open-at.js';
import { createExt4Mount, openDirPath, type TestMount } from './fs-fixtures.js';

let ext4: TestMount;
let dirFd = -1;
before(() => {
  ext4 = createExt4Mount('open-at');
  writeFileSync(join(ext4.dir, 'file'), 'content');
  symlinkSync('file', join(ext4.dir, 'link'));
  dirFd = openDirPath(ext4.dir);
});
after(() => {
  if (dirFd >= 0) closeFd(dirFd);
  ext4?.remove();
});

function readFlags(fd: number): number {
  const info = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
  return parseInt(/^flags:\s+(\d+)$/m.exec(info)![1]!, 8);
}

test('a name is opened inside the directory descriptor, and the descriptor is close-on-exec', () => {
  const fd = openAt(dirFd, Buffer.from('file'), O_RDONLY);
  try {
    assert.equal(fstatFd(fd).ino, lstatAt(dirFd, Buffer.from('file')).ino);
    assert.equal(readlinkSync(`/proc/self/fd/${fd}`), join(ext4.dir, 'file'));
    assert.equal(readFlags(fd) & 0o2000000, 0o2000000, 'O_CLOEXEC');
  } finally {
    closeFd(fd);
  }
});

test('O_NOFOLLOW refuses a symlink with ELOOP; without it the link is followed', () => {
  assert.throws(() => openAt(dirFd, Buffer.from('link'), O_RDONLY | O_NOFOLLOW), { code: 'ELOOP', syscall: 'openat' });
  const fd = openAt(dirFd, Buffer.from('link'), O_RDONLY);
  try {
    assert.equal(fstatFd(fd).ino, lstatAt(dirFd, Buffer.from('file')).ino);
  } finally {
    closeFd(fd);
  }
});

test('O_CREAT|O_EXCL creates with the given mode and refuses an existing name with EEXIST', () => {
  const fd = openAt(dirFd, Buffer.from('created'), O_WRONLY | O_CREAT | O_EXCL, 0o200);
  closeFd(fd);
  assert.equal(lstatAt(dirFd, Buffer.from('created')).mode, 0o100200n);
  assert.throws(() => openAt(dirFd, Buffer.from('created'), O_WRONLY | O_CREAT | O_EXCL, 0o200), { code: 'EEXIST' });
});

test('an absolute admin path opens with AT_FDCWD', () => {
  const fd = openAt(AT_FDCWD, Buffer.from(ext4.dir), O_RDONLY | O_DIRECTORY);
  try {
    assert.equal(fstatFd(fd).ino, 2n, 'the root inode of a fresh ext4 file system');
  } finally {
    closeFd(fd);
  }
});

test('closing a descriptor twice fails with EBADF the second time', () => {
  const fd = openAt(dirFd, Buffer.from('file'), O_RDONLY);
  closeFd(fd);
  assert.throws(() => closeFd(fd), { code: 'EBADF', syscall: 'close' });
});

test('an O_TMPFILE file has no name until linkFdAt gives it one, with its content', () => {
  const names = readdirSync(ext4.dir).sort();
  const fd = openTmpFileIn(dirFd, 0o644);
  try {
    writeFullyAt(fd, Buffer.from('durable'), 7, 0);
    assert.equal(fstatFd(fd).nlink, 0n);
    assert.deepEqual(readdirSync(ext4.dir).sort(), names, 'nothing to clean up after a crash');
    linkFdAt(fd, dirFd, Buffer.from('published'));
    assert.equal(fstatFd(fd).nlink, 1n);
  } finally {
    closeFd(fd);
  }
  assert.equal(readFileSync(join(ext4.dir, 'published'), 'utf8'), 'durable');
});
