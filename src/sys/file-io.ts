// Positioned reads and writes, seeking and sizing on descriptors.
import { loadLibc, throwErrno } from './libc.js';

/** lseek(2): the new offset. SEEK_DATA/SEEK_HOLE past the last data fail with ENXIO. */
export function seekFd(fd: number, offset: number, whence: number): number {
  const c = loadLibc();
  const at = c.lseek(fd, offset, whence);
  if (at < 0) throwErrno(c, 'lseek');
  return at;
}

/** ftruncate(2): sets the file's size; growing it adds a hole. */
export function truncateFd(fd: number, length: number): void {
  const c = loadLibc();
  if (c.ftruncate(fd, length) !== 0) throwErrno(c, 'ftruncate');
}

/** pread(2) into `buf[0, length)` at file offset `position`: bytes read, 0 at end of file. */
export function readAt(fd: number, buf: Buffer, length: number, position: number): number {
  if (length > buf.length) throw new RangeError('readAt: length exceeds the buffer');
  const c = loadLibc();
  const got = c.pread(fd, buf, length, position);
  if (got < 0) throwErrno(c, 'pread');
  return got;
}

/** pwrite(2) of `buf[0, length)` at `position`: bytes written (may be fewer; see writeFullyAt). */
export function writeAt(fd: number, buf: Buffer, length: number, position: number): number {
  if (length > buf.length) throw new RangeError('writeAt: length exceeds the buffer');
  const c = loadLibc();
  const put = c.pwrite(fd, buf, length, position);
  if (put < 0) throwErrno(c, 'pwrite');
  return put;
}

/** Writes all of `buf[0, length)` at `position`, looping over short writes. */
export function writeFullyAt(fd: number, buf: Buffer, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    done += writeAt(fd, done === 0 ? buf : buf.subarray(done), length - done, position + done);
  }
}
