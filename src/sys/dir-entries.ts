// Raw directory listings through getdents64(2): kernel order, `.` and `..` included, names as bytes.
import { SEEK_SET } from './constants.js';
import { loadLibc, throwErrno } from './libc.js';

/** One directory entry as the kernel returned it. `type` is d_type (DT_* constants; DT_UNKNOWN allowed). */
export interface DirEntry {
  name: Buffer;
  type: number;
  ino: bigint;
}

// struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[] (NUL-terminated).
const RECLEN_AT = 16;
const TYPE_AT = 18;
const NAME_AT = 19;
const BUFFER_SIZE = 32 * 1024;
let records: Buffer | undefined;

/**
 * Every entry of the directory open on `dirFd` (opened O_RDONLY|O_DIRECTORY; an O_PATH descriptor
 * fails with EBADF), in raw kernel order, with `.` and `..` wherever the file system puts them
 * (upstream prints them at -v6 in that order). Starts from offset 0, so one descriptor can be read
 * again. The listing is complete before it is returned: entries created meanwhile by ourselves
 * (temporary names) or a guest may or may not appear, as with readdir(3). Names are own copies.
 */
export function readDirEntries(dirFd: number): DirEntry[] {
  const c = loadLibc();
  if (c.lseek(dirFd, 0, SEEK_SET) < 0) throwErrno(c, 'lseek');
  records ??= Buffer.alloc(BUFFER_SIZE);
  const buf = records;
  const entries: DirEntry[] = [];
  for (;;) {
    const filled = c.getdents64(dirFd, buf, BUFFER_SIZE);
    if (filled < 0) throwErrno(c, 'getdents64');
    if (filled === 0) return entries;
    for (let at = 0; at < filled;) {
      const end = at + buf.readUInt16LE(at + RECLEN_AT);
      let nameEnd = at + NAME_AT;
      while (nameEnd < end && buf[nameEnd] !== 0) nameEnd++;
      entries.push({
        name: Buffer.from(buf.subarray(at + NAME_AT, nameEnd)),
        type: buf[at + TYPE_AT]!,
        ino: buf.readBigUInt64LE(at),
      });
      at = end;
    }
  }
}
