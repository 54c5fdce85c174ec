// Durability: flush a file, its data, or the whole file system a descriptor lives on.
import { loadLibc, throwErrno } from './libc.js';
import { SysError } from './sys-error.js';

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

/**
 * syncfs(2) on one of libuv's pool threads (koffi's async call), so hashing and committing go on
 * while the file system writes back; resolves when everything written before the call is on disk.
 */
export function syncFsAsync(fd: number): Promise<void> {
  const c = loadLibc();
  return new Promise((resolve, reject) => {
    c.syncfs.async(fd, (error: unknown, result: number) => {
      if (error !== null && error !== undefined) reject(error);
      else if (result === 0) resolve();
      else reject(new SysError('syncfs', c.errno()));
    });
  });
}
