import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatErrno } from '../../src/report/strerror.js';
import { AT_FDCWD } from '../../src/sys/constants.js';
import { linkAt } from '../../src/sys/link-ops.js';
import { isSysError, SysError } from '../../src/sys/sys-error.js';

test('a failed call throws a SysError with the errno name, the positive number and the call', () => {
  let thrown: unknown;
  try {
    linkAt(AT_FDCWD, Buffer.from('/nonexistent-vhashify-source'), AT_FDCWD, Buffer.from('/nonexistent-vhashify-target'));
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown instanceof SysError);
  assert.equal(thrown.code, 'ENOENT');
  assert.equal(thrown.errno, 2);
  assert.equal(thrown.syscall, 'linkat');
  assert.equal(thrown.message, 'linkat(): No such file or directory');
});

test("the upstream-style message reads the error's code, as it does for Node's errors", () => {
  const error = new SysError('link', 31);
  assert.equal(`link(): ${formatErrno(error)}`, 'link(): Too many links');
  assert.equal(error.code, 'EMLINK');
});

test('an errno without a name keeps its number', () => {
  const error = new SysError('ioctl', 41);
  assert.equal(error.code, 'E41');
  assert.equal(error.message, 'ioctl(): Unknown error 41');
});

test('isSysError tells the layer\'s errors apart, by code when asked', () => {
  const error = new SysError('statx', 2);
  assert.equal(isSysError(error), true);
  assert.equal(isSysError(error, 'ENOENT'), true);
  assert.equal(isSysError(error, 'EEXIST'), false);
  assert.equal(isSysError(Object.assign(new Error('x'), { code: 'ENOENT' }), 'ENOENT'), false);
});
