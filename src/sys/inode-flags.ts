// Inode flags (chattr/lsattr): FS_IOC_GETFLAGS / FS_IOC_SETFLAGS on an open file.
import { FS_IOC_GETFLAGS, FS_IOC_SETFLAGS } from './constants.js';
import { loadLibc, throwErrno } from './libc.js';

// The request numbers say `long`, but every file system reads and writes an int: 4 bytes are what
// matter. The buffer is 8 bytes and zeroed so a file system that wrote a long would not overrun it.
const flagsBuffer = Buffer.alloc(8);

/**
 * The FS_*_FL flags of the open file (FS_IMMUTABLE_FL, FS_APPEND_FL, ...). A file system without flags
 * fails with ENOTTY (procfs, ramfs, pipes; tmpfs has them since Linux 6.0). The descriptor may be
 * read-only; O_PATH descriptors fail with EBADF.
 */
export function getInodeFlags(fd: number): number {
  const c = loadLibc();
  flagsBuffer.fill(0);
  if (c.ioctl(fd, FS_IOC_GETFLAGS, 'void *', flagsBuffer) !== 0) throwErrno(c, 'ioctl');
  return flagsBuffer.readInt32LE(0);
}

/**
 * Replaces the file's flags with `flags` (read them first and change bits: other bits are kept only if
 * passed back). Changing FS_IMMUTABLE_FL or FS_APPEND_FL needs CAP_LINUX_IMMUTABLE (EPERM without);
 * unknown or unsupported bits fail with EOPNOTSUPP or EINVAL depending on the file system.
 */
export function setInodeFlags(fd: number, flags: number): void {
  const c = loadLibc();
  flagsBuffer.fill(0);
  flagsBuffer.writeInt32LE(flags | 0, 0);
  if (c.ioctl(fd, FS_IOC_SETFLAGS, 'void *', flagsBuffer) !== 0) throwErrno(c, 'ioctl');
}
