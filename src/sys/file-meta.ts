// Owner, mode and times of files, by descriptor or by name inside an open directory.
import { toCString } from './c-string.js';
import { loadLibc, throwErrno } from './libc.js';

/** An id or mode as FileStat carries it (bigint) or as a plain number. */
export type IntLike = number | bigint;

/** fchown(2). */
export function fchownFd(fd: number, uid: IntLike, gid: IntLike): void {
  const c = loadLibc();
  if (c.fchown(fd, Number(uid), Number(gid)) !== 0) throwErrno(c, 'fchown');
}

/** fchownat(2); AT_SYMLINK_NOFOLLOW changes a symlink itself. */
export function fchownAt(dirFd: number, name: Buffer, uid: IntLike, gid: IntLike, flags = 0): void {
  const c = loadLibc();
  if (c.fchownat(dirFd, toCString(name, 'fchownat'), Number(uid), Number(gid), flags) !== 0) throwErrno(c, 'fchownat');
}

/** fchmod(2) with the permission bits of `mode` (the type bits of a FileStat mode are dropped). */
export function fchmodFd(fd: number, mode: IntLike): void {
  const c = loadLibc();
  if (c.fchmod(fd, Number(mode) & 0o7777) !== 0) throwErrno(c, 'fchmod');
}

/** fchmodat(2); glibc refuses AT_SYMLINK_NOFOLLOW on a symlink with EOPNOTSUPP (Linux has no symlink modes). */
export function fchmodAt(dirFd: number, name: Buffer, mode: IntLike, flags = 0): void {
  const c = loadLibc();
  if (c.fchmodat(dirFd, toCString(name, 'fchmodat'), Number(mode) & 0o7777, flags) !== 0) throwErrno(c, 'fchmodat');
}

// struct timespec[2] (atime, mtime): s64 tv_sec, s64 tv_nsec each.
const times = Buffer.alloc(32);
const NS_PER_S = 1_000_000_000n;
// tv_nsec value that leaves a time as it is.
const UTIME_OMIT = (1 << 30) - 2;

// Seconds rounded towards minus infinity and nanoseconds in [0, 1e9): 1969-12-31T23:59:59.5 is (-1, 5e8).
function writeTimespec(at: number, ns: bigint | undefined): void {
  if (ns === undefined) {
    times.writeBigInt64LE(0n, at);
    times.writeBigInt64LE(BigInt(UTIME_OMIT), at + 8);
    return;
  }
  let seconds = ns / NS_PER_S;
  let nanos = ns % NS_PER_S;
  if (nanos < 0n) {
    seconds -= 1n;
    nanos += NS_PER_S;
  }
  times.writeBigInt64LE(seconds, at);
  times.writeBigInt64LE(nanos, at + 8);
}

/** futimens(2) with nanosecond times (times before 1970 included); undefined leaves that time as it is. */
export function futimensFd(fd: number, atimeNs: bigint | undefined, mtimeNs: bigint | undefined): void {
  writeTimespec(0, atimeNs);
  writeTimespec(16, mtimeNs);
  const c = loadLibc();
  if (c.futimens(fd, times) !== 0) throwErrno(c, 'futimens');
}

/** utimensat(2) on `name` inside `dirFd`; AT_SYMLINK_NOFOLLOW sets a symlink's own times. */
export function utimensAt(dirFd: number, name: Buffer, atimeNs: bigint | undefined, mtimeNs: bigint | undefined, flags = 0): void {
  writeTimespec(0, atimeNs);
  writeTimespec(16, mtimeNs);
  const c = loadLibc();
  if (c.utimensat(dirFd, toCString(name, 'utimensat'), times, flags) !== 0) throwErrno(c, 'utimensat');
}
