import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AT_FDCWD, O_DIRECTORY, O_PATH, O_RDONLY, O_WRONLY } from '../../src/sys/constants.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { fdatasyncFd, fsyncFd, syncFs } from '../../src/sys/sync.js';

const dir = mkdtempSync(join(tmpdir(), 'vhashify-sys-sync-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a written file, its directory and its file system can be flushed', () => {
  writeFileSync(join(dir, 'f'), 'data');
  const fd = openAt(AT_FDCWD, Buffer.from(join(dir, 'f')), O_WRONLY);
  const dirFd = openAt(AT_FDCWD, Buffer.from(dir), O_RDONLY | O_DIRECTORY);
  try {
    fdatasyncFd(fd);
    fsyncFd(fd);
    fsyncFd(dirFd);
    syncFs(dirFd);
  } finally {
    closeFd(fd);
    closeFd(dirFd);
  }
});

test('an O_PATH descriptor cannot be flushed (EBADF), and the error names the call', () => {
  const fd = openAt(AT_FDCWD, Buffer.from(dir), O_PATH);
  try {
    assert.throws(() => fsyncFd(fd), { code: 'EBADF', syscall: 'fsync' });
    assert.throws(() => fdatasyncFd(fd), { code: 'EBADF', syscall: 'fdatasync' });
    assert.throws(() => syncFs(fd), { code: 'EBADF', syscall: 'syncfs' });
  } finally {
    closeFd(fd);
  }
});
