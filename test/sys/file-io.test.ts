import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { O_CREAT, O_RDONLY, O_RDWR, SEEK_DATA, SEEK_END, SEEK_HOLE } from '../../src/sys/constants.js';
import { readAt, seekFd, truncateFd, writeAt, writeFullyAt } from '../../src/sys/file-io.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { createMemoryMount, openDirPath, type TestMount } from './fs-fixtures.js';

let fs: TestMount;
let dirFd = -1;
before(() => {
  fs = createMemoryMount('file-io', 'tmpfs');
  dirFd = openDirPath(fs.dir);
});
after(() => {
  if (dirFd >= 0) closeFd(dirFd);
  fs?.remove();
});

test('positioned writes and reads land where asked; reading at the end gives 0', () => {
  const fd = openAt(dirFd, Buffer.from('rw'), O_RDWR | O_CREAT, 0o600);
  try {
    writeFullyAt(fd, Buffer.from('hello world'), 5, 3);
    assert.equal(writeAt(fd, Buffer.from('XY'), 2, 0), 2);
    const buf = Buffer.alloc(16);
    assert.equal(readAt(fd, buf, 16, 0), 8);
    assert.deepEqual(buf.subarray(0, 8), Buffer.from('XY\0hello'));
    assert.equal(readAt(fd, buf, 16, 8), 0);
    assert.throws(() => readAt(fd, buf, 17, 0), RangeError);
  } finally {
    closeFd(fd);
  }
});

test('truncateFd grows a file with a hole that SEEK_DATA and SEEK_HOLE find', () => {
  const fd = openAt(dirFd, Buffer.from('sparse'), O_RDWR | O_CREAT, 0o600);
  try {
    writeFullyAt(fd, Buffer.alloc(4096, 1), 4096, 1 << 20);
    truncateFd(fd, 4 << 20);
    assert.equal(seekFd(fd, 0, SEEK_DATA), 1 << 20);
    assert.equal(seekFd(fd, 1 << 20, SEEK_HOLE), (1 << 20) + 4096);
    assert.equal(seekFd(fd, 0, SEEK_END), 4 << 20);
    assert.throws(() => seekFd(fd, (1 << 20) + 4096, SEEK_DATA), { code: 'ENXIO', syscall: 'lseek' });
  } finally {
    closeFd(fd);
  }
  assert.equal(statSync(join(fs.dir, 'sparse')).size, 4 << 20);
});

test('offsets beyond 4 GiB pass through as 64-bit values', () => {
  const fd = openAt(dirFd, Buffer.from('huge'), O_RDWR | O_CREAT, 0o600);
  const far = 5 * 2 ** 30 + 3;
  try {
    writeFullyAt(fd, Buffer.from('end'), 3, far);
    assert.equal(seekFd(fd, 0, SEEK_END), far + 3);
    assert.equal(seekFd(fd, 0, SEEK_DATA), far - (far % 4096));
    const buf = Buffer.alloc(3);
    assert.equal(readAt(fd, buf, 3, far), 3);
    assert.equal(buf.toString(), 'end');
    truncateFd(fd, far);
  } finally {
    closeFd(fd);
  }
  assert.equal(statSync(join(fs.dir, 'huge')).size, far);
});

test('writing to a read-only descriptor fails with EBADF', () => {
  const fd = openAt(dirFd, Buffer.from('rw'), O_RDONLY);
  try {
    assert.throws(() => writeAt(fd, Buffer.from('no'), 2, 0), { code: 'EBADF', syscall: 'pwrite' });
  } finally {
    closeFd(fd);
  }
  assert.equal(readFileSync(join(fs.dir, 'rw'), 'latin1'), 'XY\0hello');
});
