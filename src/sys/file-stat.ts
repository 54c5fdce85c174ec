// stat through statx(2) relative to a directory descriptor, as a drop-in for Node's BigIntStats.
import {
  AT_EMPTY_PATH, AT_NO_AUTOMOUNT, AT_SYMLINK_NOFOLLOW, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG,
  S_IFSOCK, STATX_BASIC_STATS, STATX_BTIME,
} from './constants.js';
import { EMPTY_C_STRING, toCString } from './c-string.js';
import { loadLibc, throwErrno } from './libc.js';
import { SysError } from './sys-error.js';

// One struct statx per thread (256 bytes), read through typed views: no allocation per call.
// Offsets in 32-bit words: mask 0, blksize 1, nlink 4, uid 5, gid 6, mode 7 (low half), ino 8,
// attributes 2 (u64), size 10, blocks 12, atime 16, btime 20, ctime 24, mtime 28 (each: s64 seconds, u32 nanoseconds),
// rdev major/minor 32/33, dev major/minor 34/35.
const raw = new ArrayBuffer(256);
const statxBuffer = Buffer.from(raw);
const u32 = new Uint32Array(raw);
const u64 = new BigUint64Array(raw);
const s64 = new BigInt64Array(raw);
const NS_PER_S = 1_000_000_000n;
const MASK = STATX_BASIC_STATS | STATX_BTIME;
const ENOENT = 2;
// What lstat(2) does: report a symlink itself, and never trigger an automount.
const LSTAT_FLAGS = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT;

/**
 * What lstat/fstat report, with the field names and bigint values of Node's BigIntStats (dev and
 * rdev packed like glibc's makedev, so they equal Node's), and its type predicates on the prototype.
 * birthtimeNs is 0n where the file system keeps no birth time. Structured clone (postMessage) keeps
 * the fields and drops the methods, exactly as it does for a BigIntStats.
 */
export class FileStat {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly mode: bigint;
  readonly nlink: bigint;
  readonly uid: bigint;
  readonly gid: bigint;
  readonly rdev: bigint;
  readonly size: bigint;
  readonly blksize: bigint;
  readonly blocks: bigint;
  readonly atimeNs: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  readonly birthtimeNs: bigint;
  /** statx's stx_attributes (low word): STATX_ATTR_IMMUTABLE (0x10), STATX_ATTR_APPEND (0x20), … */
  readonly attributes: number;

  /** Decodes the thread's statx buffer as the last successful statx() left it. */
  constructor() {
    this.dev = makeDev(u32[34]!, u32[35]!);
    this.ino = u64[4]!;
    this.mode = BigInt(u32[7]! & 0xffff);
    this.nlink = BigInt(u32[4]!);
    this.uid = BigInt(u32[5]!);
    this.gid = BigInt(u32[6]!);
    this.rdev = makeDev(u32[32]!, u32[33]!);
    this.size = u64[5]!;
    this.blksize = BigInt(u32[1]!);
    this.blocks = u64[6]!;
    this.atimeNs = s64[8]! * NS_PER_S + BigInt(u32[18]!);
    this.mtimeNs = s64[14]! * NS_PER_S + BigInt(u32[30]!);
    this.ctimeNs = s64[12]! * NS_PER_S + BigInt(u32[26]!);
    this.birthtimeNs = (u32[0]! & STATX_BTIME) === 0 ? 0n : s64[10]! * NS_PER_S + BigInt(u32[22]!);
    this.attributes = u32[2]!;
  }

  isFile(): boolean { return hasType(this.mode, S_IFREG); }
  isDirectory(): boolean { return hasType(this.mode, S_IFDIR); }
  isSymbolicLink(): boolean { return hasType(this.mode, S_IFLNK); }
  isFIFO(): boolean { return hasType(this.mode, S_IFIFO); }
  isSocket(): boolean { return hasType(this.mode, S_IFSOCK); }
  isBlockDevice(): boolean { return hasType(this.mode, S_IFBLK); }
  isCharacterDevice(): boolean { return hasType(this.mode, S_IFCHR); }
}

function hasType(mode: bigint, type: number): boolean {
  return (Number(mode) & S_IFMT) === type;
}

// glibc's makedev(): major 0x00000fff → bits 8-19, minor 0x000000ff → bits 0-7, minor 0xffffff00 →
// bits 20-43, major 0xfffff000 → bits 44-63. Linux majors stay below 4096, so a number suffices.
function makeDev(major: number, minor: number): bigint {
  if (major < 4096) return BigInt(((major & 0xfff) << 8) + (minor & 0xff) + (minor >>> 8) * 0x100000);
  return (BigInt(major >>> 12) << 44n) | (BigInt(minor >>> 8) << 20n) | BigInt(((major & 0xfff) << 8) | (minor & 0xff));
}

/** stat of `name` inside the open directory `dirFd` (AT_FDCWD for admin paths); `flags` are AT_* bits. */
export function statAt(dirFd: number, name: Buffer, flags = 0): FileStat {
  const c = loadLibc();
  if (c.statx(dirFd, toCString(name, 'statx'), flags, MASK, statxBuffer) !== 0) throwErrno(c, 'statx');
  return new FileStat();
}

/** lstat of `name` inside `dirFd`: a symlink is reported, never followed; no automount is triggered. */
export function lstatAt(dirFd: number, name: Buffer): FileStat {
  return statAt(dirFd, name, LSTAT_FLAGS);
}

/** fstat of an open descriptor (O_PATH descriptors included). */
export function fstatFd(fd: number): FileStat {
  const c = loadLibc();
  if (c.statx(fd, EMPTY_C_STRING, AT_EMPTY_PATH, MASK, statxBuffer) !== 0) throwErrno(c, 'statx');
  return new FileStat();
}

/** statAt, or undefined when the name does not exist (ENOENT, no error object built); other errors throw. */
export function statAtIfExists(dirFd: number, name: Buffer, flags = 0): FileStat | undefined {
  const c = loadLibc();
  if (c.statx(dirFd, toCString(name, 'statx'), flags, MASK, statxBuffer) === 0) return new FileStat();
  const errno = c.errno();
  if (errno === ENOENT) return undefined;
  throw new SysError('statx', errno);
}

/** lstatAt, or undefined when the name does not exist (ENOENT); other errors throw. */
export function lstatAtIfExists(dirFd: number, name: Buffer): FileStat | undefined {
  return statAtIfExists(dirFd, name, LSTAT_FLAGS);
}
