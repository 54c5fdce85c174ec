// GuestDir on the system-call layer: every name is resolved relative to an open directory
// descriptor (openat with O_NOFOLLOW, statx without following), so a guest's symlinks and FIFOs can
// never send a package-database reader to host files or block it.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { AT_FDCWD, O_CREAT, O_DIRECTORY, O_EXCL, O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, O_WRONLY } from '../sys/constants.js';
import { readDirEntries } from '../sys/dir-entries.js';
import { fstatFd, lstatAtIfExists, type FileStat } from '../sys/file-stat.js';
import { closeFd, openAt } from '../sys/open-at.js';
import { concatBytes, toBytes } from '../store/byte-text.js';
import { GuestAccessError, type GuestDir, type GuestEntryKind } from './guest-files.js';

const DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW;
// O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOCTTY: a tty must not become ours.
const FILE_FLAGS = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;
const COPY_CHUNK = 1 << 20;

/** Opens the guest root at `root` (links in this admin-given path are followed). */
export function openSysGuestRoot(root: Buffer): GuestDir {
  let fd: number;
  try {
    fd = openAt(AT_FDCWD, root, O_RDONLY | O_DIRECTORY);
  } catch (error) {
    throw toAccessError(error, root);
  }
  return new SysGuestDir(fd, root);
}

class SysGuestDir implements GuestDir {
  constructor(
    private readonly fd: number,
    readonly path: Buffer,
  ) {}

  openDir(relative: Buffer | string): GuestDir {
    const parts = splitComponents(toBytes(relative));
    let current: SysGuestDir = this;
    try {
      for (const name of parts) {
        const path = concatBytes(current.path, '/', name);
        let fd: number;
        try {
          fd = openAt(current.fd, name, DIR_FLAGS);
        } catch (error) {
          throw toAccessError(error, path, () => lstatAtIfExists(current.fd, name));
        }
        const next = new SysGuestDir(fd, path);
        if (current !== this) current.close();
        current = next;
      }
    } catch (error) {
      if (current !== this) current.close();
      throw error;
    }
    // `openDir('')` still gives a handle of its own, so every handle can be closed alike.
    return current === this ? new SysGuestDir(openAt(this.fd, Buffer.from('.'), DIR_FLAGS), this.path) : current;
  }

  lookup(name: Buffer | string): GuestEntryKind | undefined {
    const bytes = checkName(name, this.path);
    let st: FileStat | undefined;
    try {
      st = lstatAtIfExists(this.fd, bytes);
    } catch (error) {
      throw toAccessError(error, concatBytes(this.path, '/', bytes));
    }
    if (st === undefined) return undefined;
    if (st.isFile()) return 'file';
    if (st.isDirectory()) return 'directory';
    if (st.isSymbolicLink()) return 'symlink';
    return 'other';
  }

  listNames(limit: number): Buffer[] {
    const names: Buffer[] = [];
    let entries;
    try {
      entries = readDirEntries(this.fd);
    } catch (error) {
      throw toAccessError(error, this.path);
    }
    for (const { name } of entries) {
      if (name.length <= 2 && name.every((c) => c === 0x2e)) continue;
      if (names.length === limit) throw new GuestAccessError('too-many', this.path, `more than ${limit} entries; refusing to read on`);
      names.push(name);
    }
    return names;
  }

  readFile(name: Buffer | string, maxBytes: number): Buffer {
    const { fd, size, path } = this.openRegular(name, maxBytes);
    try {
      // One byte more than allowed is asked for, so a file that grew since fstat is noticed.
      const data = Buffer.alloc(Math.min(size + 1, maxBytes + 1));
      let length = 0;
      for (;;) {
        if (length === data.length) break;
        const n = readChunk(fd, data, length, data.length - length, path);
        if (n === 0) break;
        length += n;
      }
      if (length > maxBytes) throw tooLarge(path, maxBytes);
      return data.subarray(0, length);
    } finally {
      closeFd(fd);
    }
  }

  copyFile(name: Buffer | string, dest: string, maxBytes: number): number {
    const { fd, path } = this.openRegular(name, maxBytes);
    let out: number | undefined;
    try {
      // The destination is a host path of ours (a fresh temporary directory), not a guest name.
      out = openSync(dest, O_WRONLY | O_CREAT | O_EXCL, 0o600);
      const chunk = Buffer.alloc(COPY_CHUNK);
      let total = 0;
      for (;;) {
        const n = readChunk(fd, chunk, 0, chunk.length, path);
        if (n === 0) return total;
        total += n;
        if (total > maxBytes) throw tooLarge(path, maxBytes);
        for (let off = 0; off < n; ) off += writeSync(out, chunk, off, n - off);
      }
    } finally {
      closeFd(fd);
      if (out !== undefined) closeSync(out);
    }
  }

  close(): void {
    closeFd(this.fd);
  }

  // The entry must be a regular file by lstat before it is opened at all (opening a device node
  // can have effects), and by fstat after, with the same inode (a guest may swap it between).
  private openRegular(name: Buffer | string, maxBytes: number): { fd: number; size: number; path: Buffer } {
    const bytes = checkName(name, this.path);
    const path = concatBytes(this.path, '/', bytes);
    let before: FileStat | undefined;
    try {
      before = lstatAtIfExists(this.fd, bytes);
    } catch (error) {
      throw toAccessError(error, path);
    }
    if (before === undefined) throw new GuestAccessError('missing', path, 'does not exist');
    if (before.isSymbolicLink()) throw new GuestAccessError('symlink', path, 'is a symbolic link; links inside a guest are never followed');
    if (!before.isFile()) throw new GuestAccessError('not-regular', path, 'is not a regular file');
    let fd: number;
    try {
      fd = openAt(this.fd, bytes, FILE_FLAGS);
    } catch (error) {
      throw toAccessError(error, path);
    }
    const st = fstatFd(fd);
    if (!st.isFile() || st.dev !== before.dev || st.ino !== before.ino) {
      closeFd(fd);
      throw new GuestAccessError('not-regular', path, 'changed while it was opened; not read');
    }
    if (st.size > BigInt(maxBytes)) {
      closeFd(fd);
      throw tooLarge(path, maxBytes);
    }
    return { fd, size: Number(st.size), path };
  }
}

function readChunk(fd: number, buffer: Buffer, offset: number, length: number, path: Buffer): number {
  try {
    return readSync(fd, buffer, offset, length, null);
  } catch (error) {
    throw toAccessError(error, path);
  }
}

function tooLarge(path: Buffer, maxBytes: number): GuestAccessError {
  return new GuestAccessError('too-large', path, `is larger than ${maxBytes} bytes; refusing to read it`);
}

// `a//b/./c` → [a, b, c]; `..` would leave the directory and is refused.
function splitComponents(relative: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= relative.length; i++) {
    if (i < relative.length && relative[i] !== 0x2f) continue;
    const part = relative.subarray(start, i);
    start = i + 1;
    if (part.length === 0 || (part.length === 1 && part[0] === 0x2e)) continue;
    if (part.length === 2 && part[0] === 0x2e && part[1] === 0x2e) throw new Error('`..` is not allowed in a guest path');
    parts.push(part);
  }
  return parts;
}

function checkName(name: Buffer | string, dir: Buffer): Buffer {
  const bytes = toBytes(name);
  if (bytes.length === 0 || bytes.includes(0x2f) || bytes.includes(0)) {
    throw new GuestAccessError('missing', concatBytes(dir, '/', bytes), 'is not a single path component');
  }
  return bytes;
}

// `probe` looks at the entry without following it, to tell a symlink from a file.
function toAccessError(error: unknown, path: Buffer, probe?: () => FileStat | undefined): GuestAccessError {
  const err = error as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return new GuestAccessError('missing', path, 'does not exist', err);
    // O_NOFOLLOW on a symlink gives ELOOP, but ENOTDIR when O_DIRECTORY is given too.
    case 'ELOOP':
      return new GuestAccessError('symlink', path, 'is a symbolic link; links inside a guest are never followed', err);
    case 'ENOTDIR': {
      let isLink = false;
      try {
        isLink = probe?.()?.isSymbolicLink() === true;
      } catch {
        // gone meanwhile: report it as not a directory
      }
      return isLink
        ? new GuestAccessError('symlink', path, 'is a symbolic link; links inside a guest are never followed', err)
        : new GuestAccessError('not-directory', path, 'is not a directory', err);
    }
    default:
      return new GuestAccessError('io', path, err.message, err);
  }
}
