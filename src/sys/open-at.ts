// openat(2) and close(2) on descriptors: every guest path is opened relative to an open directory.
import { toCString } from './c-string.js';
import { O_CLOEXEC, O_RDWR, O_TMPFILE } from './constants.js';
import { loadLibc, throwErrno } from './libc.js';

const DOT = Buffer.from('.');

/**
 * Opens `name` inside the open directory `dirFd` (AT_FDCWD with an absolute admin path) and returns
 * the descriptor. O_CLOEXEC is always added, as Node does for its own descriptors, so helpers we spawn
 * never inherit a guest's files. `mode` matters only with O_CREAT or O_TMPFILE (the umask applies).
 */
export function openAt(dirFd: number, name: Buffer, flags: number, mode = 0): number {
  const c = loadLibc();
  const fd = c.openat(dirFd, toCString(name, 'openat'), flags | O_CLOEXEC, 'unsigned int', mode);
  if (fd < 0) throwErrno(c, 'openat');
  return fd;
}

/**
 * An unnamed regular file on the file system of directory `dirFd` (O_TMPFILE, read-write): a crash
 * leaves nothing behind, and `linkFdAt` gives it a name once it is complete. File systems without
 * O_TMPFILE support fail with EOPNOTSUPP (or EISDIR on very old kernels).
 */
export function openTmpFileIn(dirFd: number, mode: number): number {
  return openAt(dirFd, DOT, O_TMPFILE | O_RDWR, mode);
}

/** Closes a descriptor. Not retried on EINTR: Linux has released the descriptor by then. */
export function closeFd(fd: number): void {
  const c = loadLibc();
  if (c.close(fd) !== 0) throwErrno(c, 'close');
}
