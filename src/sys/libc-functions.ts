// The C functions the layer calls, declared once per thread with koffi, and their TypeScript types.
import type { KoffiFunc, LibraryHandle } from 'koffi';

// Pointers are `void *` so a Buffer goes in as its own memory: no string conversion, no copy, and
// names are whatever bytes the caller put before the NUL. ssize_t/off_t are `long` (LP64), which
// koffi returns as a number (every size and offset the layer meets is below 2^53).
const prototypes = {
  statx: 'int statx(int dirfd, void *path, int flags, unsigned int mask, void *buf)',
  openat: 'int openat(int dirfd, void *path, int flags, ...)',
  close: 'int close(int fd)',
  lseek: 'long lseek(int fd, long offset, int whence)',
  ftruncate: 'int ftruncate(int fd, long length)',
  pread: 'long pread(int fd, void *buf, size_t count, long offset)',
  pwrite: 'long pwrite(int fd, void *buf, size_t count, long offset)',
  linkat: 'int linkat(int olddirfd, void *oldpath, int newdirfd, void *newpath, int flags)',
  renameat2: 'int renameat2(int olddirfd, void *oldpath, int newdirfd, void *newpath, unsigned int flags)',
  unlinkat: 'int unlinkat(int dirfd, void *path, int flags)',
  mkdirat: 'int mkdirat(int dirfd, void *path, unsigned int mode)',
  mknodat: 'int mknodat(int dirfd, void *path, unsigned int mode, unsigned long dev)',
  symlinkat: 'int symlinkat(void *target, int newdirfd, void *linkpath)',
  readlinkat: 'long readlinkat(int dirfd, void *path, void *buf, size_t size)',
  fchown: 'int fchown(int fd, unsigned int owner, unsigned int group)',
  fchownat: 'int fchownat(int dirfd, void *path, unsigned int owner, unsigned int group, int flags)',
  fchmod: 'int fchmod(int fd, unsigned int mode)',
  fchmodat: 'int fchmodat(int dirfd, void *path, unsigned int mode, int flags)',
  futimens: 'int futimens(int fd, void *times)',
  utimensat: 'int utimensat(int dirfd, void *path, void *times, int flags)',
  flistxattr: 'long flistxattr(int fd, void *list, size_t size)',
  fgetxattr: 'long fgetxattr(int fd, void *name, void *value, size_t size)',
  fsetxattr: 'int fsetxattr(int fd, void *name, void *value, size_t size, int flags)',
  fremovexattr: 'int fremovexattr(int fd, void *name)',
  ioctl: 'int ioctl(int fd, unsigned long request, ...)',
  flock: 'int flock(int fd, int operation)',
  copy_file_range: 'long copy_file_range(int fdin, void *offin, int fdout, void *offout, size_t len, unsigned int flags)',
  syncfs: 'int syncfs(int fd)',
  fsync: 'int fsync(int fd)',
  fdatasync: 'int fdatasync(int fd)',
  syscall: 'long syscall(long number, ...)',
} as const;

// glibc added getdents64() in 2.30; older ones reach the same system call through syscall(2).
const GETDENTS64_PROTOTYPE = 'long getdents64(int fd, void *dirp, size_t count)';
const SYS_GETDENTS64 = 217;

type Fd = number;
type Ptr = Buffer | null;

/** The declared functions, typed. Variadic ones take (type, value) pairs after the fixed arguments. */
export interface LibcFunctions {
  statx(dirFd: Fd, path: Buffer, flags: number, mask: number, buf: Buffer): number;
  openat(dirFd: Fd, path: Buffer, flags: number, ...modeTypeAndValue: ['unsigned int', number] | []): number;
  close(fd: Fd): number;
  lseek(fd: Fd, offset: number, whence: number): number;
  ftruncate(fd: Fd, length: number): number;
  pread(fd: Fd, buf: Buffer, count: number, offset: number): number;
  pwrite(fd: Fd, buf: Buffer, count: number, offset: number): number;
  linkat(oldDirFd: Fd, oldPath: Buffer, newDirFd: Fd, newPath: Buffer, flags: number): number;
  renameat2(oldDirFd: Fd, oldPath: Buffer, newDirFd: Fd, newPath: Buffer, flags: number): number;
  unlinkat(dirFd: Fd, path: Buffer, flags: number): number;
  mkdirat(dirFd: Fd, path: Buffer, mode: number): number;
  mknodat(dirFd: Fd, path: Buffer, mode: number, dev: bigint | number): number;
  symlinkat(target: Buffer, newDirFd: Fd, linkPath: Buffer): number;
  readlinkat(dirFd: Fd, path: Buffer, buf: Buffer, size: number): number;
  fchown(fd: Fd, owner: number, group: number): number;
  fchownat(dirFd: Fd, path: Buffer, owner: number, group: number, flags: number): number;
  fchmod(fd: Fd, mode: number): number;
  fchmodat(dirFd: Fd, path: Buffer, mode: number, flags: number): number;
  futimens(fd: Fd, times: Buffer): number;
  utimensat(dirFd: Fd, path: Buffer, times: Buffer, flags: number): number;
  flistxattr(fd: Fd, list: Ptr, size: number): number;
  fgetxattr(fd: Fd, name: Buffer, value: Ptr, size: number): number;
  fsetxattr(fd: Fd, name: Buffer, value: Buffer, size: number, flags: number): number;
  fremovexattr(fd: Fd, name: Buffer): number;
  ioctl(fd: Fd, request: number, argType: 'void *', arg: Buffer): number;
  flock: KoffiFunc<(fd: Fd, operation: number) => number>;
  copy_file_range(fdIn: Fd, offIn: Buffer, fdOut: Fd, offOut: Buffer, len: number, flags: number): number;
  syncfs: KoffiFunc<(fd: Fd) => number>;
  fsync(fd: Fd): number;
  fdatasync(fd: Fd): number;
  syscall(number: number, ...typesAndValues: unknown[]): number;
  getdents64(fd: Fd, buf: Buffer, count: number): number;
}

/** Declares every function of LibcFunctions in `lib`; throws when glibc lacks one (too old). */
export function declareLibcFunctions(lib: LibraryHandle): LibcFunctions {
  const declared: Record<string, unknown> = {};
  for (const [name, prototype] of Object.entries(prototypes)) declared[name] = lib.func(prototype);
  const functions = declared as unknown as Omit<LibcFunctions, 'getdents64'>;
  return { ...functions, getdents64: declareGetdents64(lib, functions.syscall) };
}

function declareGetdents64(lib: LibraryHandle, syscall: LibcFunctions['syscall']): LibcFunctions['getdents64'] {
  try {
    return lib.func(GETDENTS64_PROTOTYPE) as LibcFunctions['getdents64'];
  } catch {
    return (fd, buf, count) => syscall(SYS_GETDENTS64, 'int', fd, 'void *', buf, 'size_t', count);
  }
}
