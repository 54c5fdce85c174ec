// The one error type of the system-call layer: a failed call, its errno and the call's name.
import { findErrnoName, formatErrno } from '../report/strerror.js';

/**
 * A system call that returned -1. Shaped like Node's system errors where it matters: `code` is the
 * errno name and `errno` the number, so `formatErrno()` prints `link(): Too many links` for either.
 * Unlike Node's, `errno` is positive (libuv negates it) and the message never carries a path: names
 * are guest bytes, and the caller knows which path it passed.
 */
export class SysError extends Error {
  readonly code: string;
  readonly errno: number;
  readonly syscall: string;

  constructor(syscall: string, errno: number) {
    const code = findErrnoName(errno) ?? `E${errno}`;
    super(`${syscall}(): ${formatErrno(errno)}`);
    this.name = 'SysError';
    this.code = code;
    this.errno = errno;
    this.syscall = syscall;
  }
}

/** True when `error` is a SysError with errno name `code` (`isSysError(e, 'ENOENT')`). */
export function isSysError(error: unknown, code?: string): error is SysError {
  return error instanceof SysError && (code === undefined || error.code === code);
}
