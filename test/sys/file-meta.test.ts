import assert from 'node:assert/strict';
import { lstatSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AT_SYMLINK_NOFOLLOW, O_RDONLY, O_WRONLY } from '../../src/sys/constants.js';
import { fchmodAt, fchmodFd, fchownAt, fchownFd, futimensFd, utimensAt } from '../../src/sys/file-meta.js';
import { lstatAt } from '../../src/sys/file-stat.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { createExt4Mount, openDirPath, type TestMount } from './fs-fixtures.js';

let ext4: TestMount;
let dirFd = -1;
let counter = 0;
before(() => {
  ext4 = createExt4Mount('file-meta');
  dirFd = openDirPath(ext4.dir);
});
after(() => {
  if (dirFd >= 0) closeFd(dirFd);
  ext4?.remove();
});

function createFile(): Buffer {
  const name = Buffer.from(`f${counter++}`);
  writeFileSync(join(ext4.dir, name.toString()), 'data');
  return name;
}

function withFd<T>(name: Buffer, flags: number, fn: (fd: number) => T): T {
  const fd = openAt(dirFd, name, flags);
  try {
    return fn(fd);
  } finally {
    closeFd(fd);
  }
}

test('fchownFd and fchmodFd set owner, group and the full mode, set-id bits included', () => {
  const name = createFile();
  withFd(name, O_WRONLY, (fd) => {
    fchownFd(fd, 1234n, 5678n);
    fchmodFd(fd, 0o106755n); // a FileStat mode: the type bits are dropped
  });
  const st = lstatAt(dirFd, name);
  assert.equal(st.uid, 1234n);
  assert.equal(st.gid, 5678n);
  assert.equal(st.mode, 0o106755n);
});

test('futimensFd sets nanosecond times, before 1970 too, and undefined leaves a time alone', () => {
  const name = createFile();
  withFd(name, O_RDONLY, (fd) => futimensFd(fd, 1_700_000_000_123_456_789n, -1n));
  let st = lstatAt(dirFd, name);
  assert.equal(st.atimeNs, 1_700_000_000_123_456_789n);
  assert.equal(st.mtimeNs, -1n, 'one nanosecond before the epoch: tv_sec -1, tv_nsec 999999999');
  assert.equal(lstatSync(join(ext4.dir, name.toString()), { bigint: true }).mtimeNs, -1n);
  withFd(name, O_RDONLY, (fd) => futimensFd(fd, undefined, -2_000_000_000n));
  st = lstatAt(dirFd, name);
  assert.equal(st.atimeNs, 1_700_000_000_123_456_789n);
  assert.equal(st.mtimeNs, -2_000_000_000n);
});

test('utimensAt and fchownAt with AT_SYMLINK_NOFOLLOW change the symlink, not its target', () => {
  const target = createFile();
  symlinkSync(target.toString(), join(ext4.dir, 'sym'));
  const before = lstatAt(dirFd, target);
  utimensAt(dirFd, Buffer.from('sym'), 5_000_000_001n, 6_000_000_002n, AT_SYMLINK_NOFOLLOW);
  fchownAt(dirFd, Buffer.from('sym'), 42, 43, AT_SYMLINK_NOFOLLOW);
  const link = lstatAt(dirFd, Buffer.from('sym'));
  assert.equal(link.mtimeNs, 6_000_000_002n);
  assert.equal(link.uid, 42n);
  const after = lstatAt(dirFd, target);
  assert.equal(after.mtimeNs, before.mtimeNs);
  assert.equal(after.uid, before.uid);
  utimensAt(dirFd, Buffer.from('sym'), 7_000_000_000n, 8_000_000_000n);
  assert.equal(lstatAt(dirFd, target).mtimeNs, 8_000_000_000n, 'without the flag the target changes');
});

test('fchmodAt changes a file by name and refuses a symlink under AT_SYMLINK_NOFOLLOW', () => {
  const name = createFile();
  fchmodAt(dirFd, name, 0o640);
  assert.equal(lstatAt(dirFd, name).mode, 0o100640n);
  symlinkSync(name.toString(), join(ext4.dir, 'sym2'));
  assert.throws(() => fchmodAt(dirFd, Buffer.from('sym2'), 0o600, AT_SYMLINK_NOFOLLOW), { code: 'EOPNOTSUPP' });
  assert.equal(lstatAt(dirFd, name).mode, 0o100640n);
});

test('a closed descriptor fails with EBADF naming the call', () => {
  const fd = openAt(dirFd, createFile(), O_RDONLY);
  closeFd(fd);
  assert.throws(() => fchownFd(fd, 0, 0), { code: 'EBADF', syscall: 'fchown' });
  assert.throws(() => futimensFd(fd, 0n, 0n), { code: 'EBADF', syscall: 'futimens' });
});
