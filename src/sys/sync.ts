// Durability: flush a file, its data, or the whole file system a descriptor lives on.
import { loadLibc, throwErrno } from './libc.js';

/** fsync(2): the file's data and metadata reach the disk (on a directory: its entries). */
export function fsyncFd(fd: number): void {
  const c = loadLibc();
  if (c.fsync(fd) !== 0) throwErrno(c, 'fsync');
}

/** fdatasync(2): the file's data, and only the metadata needed to read it back. */
export function fdatasyncFd(fd: number): void {
  const c = loadLibc();
  if (c.fdatasync(fd) !== 0) throwErrno(c, 'fdatasync');
}

/** syncfs(2): everything on the file system that holds `fd` (one call after many links). */
export function syncFs(fd: number): void {
  const c = loadLibc();
  if (c.syncfs(fd) !== 0) throwErrno(c, 'syncfs');
}
