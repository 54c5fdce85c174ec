import assert from 'node:assert/strict';
import { openSync, mkdtempSync, rmSync, writeFileSync, linkSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatErrno } from '../../src/report/strerror.js';

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (err) {
    return err;
  }
  assert.fail('the action was expected to throw');
}

test('error codes get glibc wording', () => {
  const expected: Record<string, string> = {
    ENOENT: 'No such file or directory',
    EXDEV: 'Invalid cross-device link',
    EACCES: 'Permission denied',
    EPERM: 'Operation not permitted',
    ENOTDIR: 'Not a directory',
    EEXIST: 'File exists',
    ENOSPC: 'No space left on device',
    EMLINK: 'Too many links',
    EROFS: 'Read-only file system',
    ELOOP: 'Too many levels of symbolic links',
    ENAMETOOLONG: 'File name too long',
    EISDIR: 'Is a directory',
    EBUSY: 'Device or resource busy',
    EINVAL: 'Invalid argument',
    EIO: 'Input/output error',
    EBADF: 'Bad file descriptor',
    ENOTEMPTY: 'Directory not empty',
    EDQUOT: 'Disk quota exceeded',
    ETXTBSY: 'Text file busy',
    EFBIG: 'File too large',
    EAGAIN: 'Resource temporarily unavailable',
    EINTR: 'Interrupted system call',
    ENOMEM: 'Cannot allocate memory',
    EMFILE: 'Too many open files',
    ENFILE: 'Too many open files in system',
    EOPNOTSUPP: 'Operation not supported',
    ENOSYS: 'Function not implemented',
    ESTALE: 'Stale file handle',
    EUCLEAN: 'Structure needs cleaning',
    EHWPOISON: 'Memory page has hardware error',
  };
  for (const [code, text] of Object.entries(expected)) assert.equal(formatErrno({ code }), text, code);
});

test('alias names share the text of the errno they stand for', () => {
  assert.equal(formatErrno('ENOTSUP'), 'Operation not supported');
  assert.equal(formatErrno('EWOULDBLOCK'), 'Resource temporarily unavailable');
  assert.equal(formatErrno('EDEADLOCK'), 'Resource deadlock avoided');
});

test('numbers are looked up by their Linux errno value, negated or not', () => {
  assert.equal(formatErrno(2), 'No such file or directory');
  assert.equal(formatErrno(-18), 'Invalid cross-device link');
  assert.equal(formatErrno({ errno: -122 }), 'Disk quota exceeded');
});

test('values without a text read "Unknown error <n>" like glibc', () => {
  assert.equal(formatErrno(41), 'Unknown error 41');
  assert.equal(formatErrno({ code: 'EWHATEVER', errno: -4000 }), 'Unknown error 4000');
  assert.equal(formatErrno(-58), 'Unknown error 58');
});

test('real Node file system errors are rendered from their code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vhashify-strerror-'));
  try {
    writeFileSync(join(dir, 'file'), 'x');
    mkdirSync(join(dir, 'sub'));
    symlinkSync('loop', join(dir, 'loop'));
    assert.equal(formatErrno(captureError(() => openSync(join(dir, 'missing'), 'r'))), 'No such file or directory');
    assert.equal(formatErrno(captureError(() => openSync(join(dir, 'file/x'), 'r'))), 'Not a directory');
    assert.equal(formatErrno(captureError(() => linkSync(join(dir, 'file'), join(dir, 'sub')))), 'File exists');
    assert.equal(formatErrno(captureError(() => openSync(join(dir, 'loop'), 'r'))), 'Too many levels of symbolic links');
    assert.equal(formatErrno(captureError(() => openSync(join(dir, 'sub'), 'w'))), 'Is a directory');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
