// Name operations inside open directories: link, rename, unlink, mkdir, mknod, symlink, readlink.
import { toCString } from './c-string.js';
import { AT_FDCWD, AT_SYMLINK_FOLLOW } from './constants.js';
import { loadLibc, throwErrno } from './libc.js';
import { SysError } from './sys-error.js';

const EEXIST = 17;

/** linkat(2): a new name `newName` in `newDirFd` for `oldName` in `oldDirFd`; flags 0 never follows a symlink. */
export function linkAt(oldDirFd: number, oldName: Buffer, newDirFd: number, newName: Buffer, flags = 0): void {
  const c = loadLibc();
  if (c.linkat(oldDirFd, toCString(oldName, 'linkat', 0), newDirFd, toCString(newName, 'linkat', 1), flags) !== 0) {
    throwErrno(c, 'linkat');
  }
}

/**
 * Gives the file open on `fd` the name `newName` in `newDirFd` (an O_TMPFILE file made durable, or
 * any open file). Goes through /proc/self/fd with AT_SYMLINK_FOLLOW, which needs no capability;
 * AT_EMPTY_PATH would need CAP_DAC_READ_SEARCH. Fails with ENOENT for an unlinked non-O_TMPFILE file.
 */
export function linkFdAt(fd: number, newDirFd: number, newName: Buffer): void {
  linkAt(AT_FDCWD, Buffer.from(`/proc/self/fd/${fd}`), newDirFd, newName, AT_SYMLINK_FOLLOW);
}

/** renameat2(2); flags RENAME_NOREPLACE (fail with EEXIST) or RENAME_EXCHANGE (swap both names atomically). */
export function renameAt2(oldDirFd: number, oldName: Buffer, newDirFd: number, newName: Buffer, flags = 0): void {
  const c = loadLibc();
  if (c.renameat2(oldDirFd, toCString(oldName, 'renameat2', 0), newDirFd, toCString(newName, 'renameat2', 1), flags) !== 0) {
    throwErrno(c, 'renameat2');
  }
}

/** unlinkat(2): removes a name; with AT_REMOVEDIR an empty directory. */
export function unlinkAt(dirFd: number, name: Buffer, flags = 0): void {
  const c = loadLibc();
  if (c.unlinkat(dirFd, toCString(name, 'unlinkat'), flags) !== 0) throwErrno(c, 'unlinkat');
}

/** mkdirat(2) with `mode` (the umask applies). */
export function mkdirAt(dirFd: number, name: Buffer, mode: number): void {
  const c = loadLibc();
  if (c.mkdirat(dirFd, toCString(name, 'mkdirat'), mode) !== 0) throwErrno(c, 'mkdirat');
}

/** mkdirat(2) that takes an existing name as done: true when it made the directory, false on EEXIST (no error built). */
export function mkdirAtIfMissing(dirFd: number, name: Buffer, mode: number): boolean {
  const c = loadLibc();
  if (c.mkdirat(dirFd, toCString(name, 'mkdirat'), mode) === 0) return true;
  const errno = c.errno();
  if (errno === EEXIST) return false;
  throw new SysError('mkdirat', errno);
}

/** mknodat(2): a device node, FIFO or socket `name` in `dirFd`; `mode` carries the type bits, `rdev` is glibc's makedev (FileStat.rdev). */
export function mknodAt(dirFd: number, name: Buffer, mode: number, rdev: bigint): void {
  const c = loadLibc();
  if (c.mknodat(dirFd, toCString(name, 'mknodat'), mode, rdev) !== 0) throwErrno(c, 'mknodat');
}

/** symlinkat(2): creates `name` in `dirFd` pointing at the bytes `target`. */
export function symlinkAt(target: Buffer, dirFd: number, name: Buffer): void {
  const c = loadLibc();
  if (c.symlinkat(toCString(target, 'symlinkat', 0), dirFd, toCString(name, 'symlinkat', 1)) !== 0) {
    throwErrno(c, 'symlinkat');
  }
}

// PATH_MAX: the kernel never stores a longer symlink target.
const LINK_BUFFER_SIZE = 4096;
let linkBuffer: Buffer | undefined;

/** readlinkat(2): the target of symlink `name` in `dirFd`, as bytes (own copy). */
export function readlinkAt(dirFd: number, name: Buffer): Buffer {
  const c = loadLibc();
  linkBuffer ??= Buffer.alloc(LINK_BUFFER_SIZE);
  const length = c.readlinkat(dirFd, toCString(name, 'readlinkat'), linkBuffer, LINK_BUFFER_SIZE);
  if (length < 0) throwErrno(c, 'readlinkat');
  return Buffer.from(linkBuffer.subarray(0, length));
}
