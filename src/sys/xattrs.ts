// Extended attributes of an open file: list, get, set, remove (user.*, security.*, system.posix_acl_*).
import { toCString } from './c-string.js';
import { loadLibc, throwErrno, type Libc } from './libc.js';
import { SysError } from './sys-error.js';

// Descriptors must come from open(O_RDONLY|O_NOFOLLOW) (or O_WRONLY...): the f*xattr calls refuse an
// O_PATH descriptor with EBADF. A symlink cannot be opened that way, so its attributes are not reachable
// here; the walk never needs them (symlinks are skipped). Attribute names are bytes; a string is taken
// as its UTF-8 bytes, which is what every name in our code ('security.capability') is.

const ERANGE = 34;
const ENODATA = 61;
const SCRATCH_SIZE = 4096;
let scratch: Buffer | undefined;

function encodeName(name: Buffer | string, syscall: string): Buffer {
  return toCString(typeof name === 'string' ? Buffer.from(name) : name, syscall);
}

// Calls `fill` with the scratch buffer; when the kernel says ERANGE, asks for the size and retries with a
// buffer that large (the value can grow between the two calls, hence the loop). Returns the bytes (own copy).
function readGrowing(c: Libc, syscall: string, fill: (buf: Buffer | null, size: number) => number): Buffer | undefined {
  scratch ??= Buffer.alloc(SCRATCH_SIZE);
  let buf = scratch;
  for (;;) {
    const length = fill(buf, buf.length);
    if (length >= 0) return Buffer.from(buf.subarray(0, length));
    const errno = c.errno();
    if (errno === ENODATA) return undefined;
    if (errno !== ERANGE) throw new SysError(syscall, errno);
    const needed = fill(null, 0);
    if (needed < 0) throwErrno(c, syscall);
    buf = Buffer.alloc(Math.max(needed, buf.length * 2));
  }
}

/** The names of every extended attribute of the open file, in the kernel's order (own copies, no NULs). */
export function listXattrs(fd: number): Buffer[] {
  const c = loadLibc();
  const list = readGrowing(c, 'flistxattr', (buf, size) => c.flistxattr(fd, buf, size)) ?? Buffer.alloc(0);
  const names: Buffer[] = [];
  for (let from = 0; from < list.length;) {
    const end = list.indexOf(0, from);
    names.push(list.subarray(from, end));
    from = end + 1;
  }
  return names;
}

/** The value of attribute `name`, or undefined when the file has none by that name (ENODATA). */
export function getXattr(fd: number, name: Buffer | string): Buffer | undefined {
  const c = loadLibc();
  const cname = encodeName(name, 'fgetxattr');
  return readGrowing(c, 'fgetxattr', (buf, size) => c.fgetxattr(fd, cname, buf, size));
}

/** Sets attribute `name`; flags XATTR_CREATE (fail with EEXIST) or XATTR_REPLACE (fail with ENODATA). */
export function setXattr(fd: number, name: Buffer | string, value: Buffer, flags = 0): void {
  const c = loadLibc();
  if (c.fsetxattr(fd, encodeName(name, 'fsetxattr'), value, value.length, flags) !== 0) throwErrno(c, 'fsetxattr');
}

/** Removes attribute `name` (ENODATA when there is none). */
export function removeXattr(fd: number, name: Buffer | string): void {
  const c = loadLibc();
  if (c.fremovexattr(fd, encodeName(name, 'fremovexattr')) !== 0) throwErrno(c, 'fremovexattr');
}
