// Numeric constants of the Linux x86_64 / glibc system-call interface that Node does not export.
// Values come from the kernel's uapi headers (asm-generic/fcntl.h, linux/fcntl.h, linux/fs.h,
// linux/stat.h, linux/xattr.h); the loader refuses every other architecture, so they hold.

/** Flags of open(2)/openat(2). */
export const O_RDONLY = 0o0;
export const O_WRONLY = 0o1;
export const O_RDWR = 0o2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_NOCTTY = 0o400;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;
export const O_NOATIME = 0o1000000;
export const O_CLOEXEC = 0o2000000;
export const O_PATH = 0o10000000;
/** O_TMPFILE includes O_DIRECTORY, as the kernel defines it. */
export const O_TMPFILE = 0o20000000 | O_DIRECTORY;
/** O_LARGEFILE is implied on 64-bit; given for readability of traces. */
export const O_LARGEFILE = 0;

/** The `dirfd` meaning "the current directory" (for absolute admin paths the value is ignored). */
export const AT_FDCWD = -100;
/** Flags of the *at() calls. */
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_REMOVEDIR = 0x200;
export const AT_SYMLINK_FOLLOW = 0x400;
export const AT_NO_AUTOMOUNT = 0x800;
export const AT_EMPTY_PATH = 0x1000;
export const AT_STATX_SYNC_AS_STAT = 0x0000;

/** Flags of renameat2(2). */
export const RENAME_NOREPLACE = 1;
export const RENAME_EXCHANGE = 2;
export const RENAME_WHITEOUT = 4;

/** Operations of flock(2). */
export const LOCK_SH = 1;
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;

/** ioctl numbers for inode flags: _IOR('f', 1, long) and _IOW('f', 2, long); the kernel moves an int. */
export const FS_IOC_GETFLAGS = 0x80086601;
export const FS_IOC_SETFLAGS = 0x40086602;
/** ioctl(2): the terminal's size as a struct winsize (rows, columns, pixels: four unsigned shorts). */
export const TIOCGWINSZ = 0x5413;
/** Inode flags (chattr letters in the comments). */
export const FS_SECRM_FL = 0x1; // s
export const FS_UNRM_FL = 0x2; // u
export const FS_SYNC_FL = 0x8; // S
export const FS_IMMUTABLE_FL = 0x10; // i
export const FS_APPEND_FL = 0x20; // a
export const FS_NODUMP_FL = 0x40; // d
export const FS_NOATIME_FL = 0x80; // A
export const FS_EXTENT_FL = 0x80000; // e (ext4 sets it itself)

/** `whence` of lseek(2). */
export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;
export const SEEK_DATA = 3;
export const SEEK_HOLE = 4;

/** Flags of setxattr(2). */
export const XATTR_CREATE = 1;
export const XATTR_REPLACE = 2;

/** File type bits of st_mode, as numbers (FileStat keeps the mode as a bigint like Node's BigIntStats). */
export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;

/** statx(2) request mask bits. */
export const STATX_BASIC_STATS = 0x7ff;
export const STATX_BTIME = 0x800;
/** Bits of statx's stx_attributes (FileStat.attributes). */
export const STATX_ATTR_IMMUTABLE = 0x10;
export const STATX_ATTR_APPEND = 0x20;

/** d_type values of getdents64(2). */
export const DT_UNKNOWN = 0;
export const DT_FIFO = 1;
export const DT_CHR = 2;
export const DT_DIR = 4;
export const DT_BLK = 6;
export const DT_REG = 8;
export const DT_LNK = 10;
export const DT_SOCK = 12;
