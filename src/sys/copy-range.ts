// File content copied in the kernel (copy_file_range), data segments only, so holes stay holes.
import { SEEK_DATA, SEEK_END, SEEK_HOLE } from './constants.js';
import { readAt, seekFd, truncateFd, writeFullyAt } from './file-io.js';
import { loadLibc, throwErrno } from './libc.js';
import { isSysError } from './sys-error.js';

// loff_t in/out offsets for copy_file_range (the descriptors' own file positions are left alone).
const offsets = Buffer.alloc(16);
const offIn = offsets.subarray(0, 8);
const offOut = offsets.subarray(8, 16);
const MAX_REQUEST = 1 << 30;
const CHUNK = 1024 * 1024;
// Errors that mean "not between these two files" rather than a failing disk: copy with pread/pwrite.
const FALLBACK_CODES = new Set(['EXDEV', 'EINVAL', 'ENOSYS', 'EOPNOTSUPP']);
let chunk: Buffer | undefined;

function writeOffset(buf: Buffer, value: number): void {
  buf.writeUInt32LE(value % 0x1_0000_0000, 0);
  buf.writeUInt32LE(Math.floor(value / 0x1_0000_0000), 4);
}

/** copy_file_range(2) of up to `length` bytes between explicit offsets: bytes copied, 0 at end of source. */
export function copyFileRange(srcFd: number, srcOffset: number, destFd: number, destOffset: number, length: number): number {
  writeOffset(offIn, srcOffset);
  writeOffset(offOut, destOffset);
  const c = loadLibc();
  const copied = c.copy_file_range(srcFd, offIn, destFd, offOut, Math.min(length, MAX_REQUEST), 0);
  if (copied < 0) throwErrno(c, 'copy_file_range');
  return copied;
}

/**
 * Makes `destFd` (an empty regular file open for writing, not O_APPEND) a copy of the first `size`
 * bytes of `srcFd`: sets its size with ftruncate, then copies only the source's data segments
 * (SEEK_DATA/SEEK_HOLE), in the kernel where it can and with pread/pwrite where copy_file_range
 * refuses (EXDEV, EINVAL, ENOSYS, EOPNOTSUPP). Holes of the source stay holes; runs of zeros that the
 * source stores as data are copied as data (upstream instead punches every zero page: not this).
 * Returns false when the source turned out shorter than `size` (it changed since it was measured).
 */
export function copyFileData(srcFd: number, destFd: number, size: number): boolean {
  truncateFd(destFd, size);
  let inKernel = true;
  let position = 0;
  while (position < size) {
    const data = seekData(srcFd, position);
    if (data === undefined || data >= size) break;
    const hole = seekHole(srcFd, data, size);
    if (hole === undefined) return false;
    const end = Math.min(hole, size);
    let at = data;
    while (at < end) {
      let copied: number;
      if (inKernel) {
        try {
          copied = copyFileRange(srcFd, at, destFd, at, end - at);
        } catch (error) {
          if (!isSysError(error) || !FALLBACK_CODES.has(error.code)) throw error;
          inKernel = false;
          continue;
        }
      } else {
        copied = copyByReading(srcFd, destFd, at, end - at);
      }
      if (copied === 0) return false;
      at += copied;
    }
    position = end;
  }
  // A trailing hole and a source that shrank look alike to SEEK_DATA: the size tells them apart.
  return seekFd(srcFd, 0, SEEK_END) >= size;
}

// The next data offset at or after `position`, undefined when only a hole (or nothing) follows.
// A file system without SEEK_DATA (EINVAL) is all data.
function seekData(fd: number, position: number): number | undefined {
  try {
    return seekFd(fd, position, SEEK_DATA);
  } catch (error) {
    if (isSysError(error, 'ENXIO')) return undefined;
    if (isSysError(error, 'EINVAL')) return position;
    throw error;
  }
}

// The end of the data segment that starts at `position`; undefined when the file now ends before it.
function seekHole(fd: number, position: number, size: number): number | undefined {
  try {
    return seekFd(fd, position, SEEK_HOLE);
  } catch (error) {
    if (isSysError(error, 'ENXIO')) return undefined;
    if (isSysError(error, 'EINVAL')) return size;
    throw error;
  }
}

function copyByReading(srcFd: number, destFd: number, position: number, length: number): number {
  chunk ??= Buffer.allocUnsafe(CHUNK);
  const got = readAt(srcFd, chunk, Math.min(length, CHUNK), position);
  if (got > 0) writeFullyAt(destFd, chunk, got, position);
  return got;
}
