// Byte-for-byte comparison of a guest file with the store entry it is about to share.
import { readSync } from 'node:fs';
import { fstatFd } from '../sys/file-stat.js';
import { closeFd } from '../sys/open-at.js';
import { openGuestFile } from '../walk/guest-read.js';
import { hasForeignXattrs } from '../walk/foreign-xattrs.js';
import type { NameAt } from './replace-with-link.js';

const CHUNK = 1024 * 1024;
let buffers: [Buffer, Buffer] | undefined;

/**
 * Same bytes; different bytes; the entry carries extended attributes the file would gain (it must
 * not be shared: see walk/foreign-xattrs.ts); or the guest file is no longer the inode that was hashed.
 */
export type ContentVerdict = 'same' | 'different' | 'entry-xattrs' | 'changed';

/**
 * Upstream trusts equal digests. Before a guest file is replaced by a link to an existing entry we
 * compare the two byte for byte: cheap insurance against a digest collision, and it catches a
 * store entry someone modified in place. Both sides are opened without following links.
 */
export function compareWithEntry(guest: NameAt, stat: { dev: bigint; ino: bigint; size: bigint }, entry: NameAt): ContentVerdict {
  let g: number;
  try {
    g = openGuestFile(guest.dirFd, guest.name);
  } catch {
    return 'changed';
  }
  try {
    const gst = fstatFd(g);
    if (gst.ino !== stat.ino || gst.dev !== stat.dev || gst.size !== stat.size) return 'changed';
    return compareDescriptorWithEntry(g, stat.size, entry);
  } catch {
    return 'changed';
  } finally {
    closeFd(g);
  }
}

/** Compares the first `size` bytes of the open guest file `g` with the entry. */
export function compareDescriptorWithEntry(g: number, size: bigint, entry: NameAt): ContentVerdict {
  buffers ??= [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  const [a, b] = buffers;
  let e: number | undefined;
  try {
    e = openGuestFile(entry.dirFd, entry.name); // same care for the store entry
    if (hasForeignXattrs(e)) return 'entry-xattrs';
    const total = Number(size);
    for (let pos = 0; pos < total; ) {
      const want = Math.min(CHUNK, total - pos);
      const got = readFully(g, a, want, pos);
      if (got !== want) return 'changed';
      if (readFully(e, b, want, pos) !== want) return 'different';
      if (!a.subarray(0, want).equals(b.subarray(0, want))) return 'different';
      pos += want;
    }
    return 'same';
  } catch {
    return 'changed';
  } finally {
    if (e !== undefined) closeFd(e);
  }
}

function readFully(fd: number, buf: Buffer, want: number, position: number): number {
  let done = 0;
  while (done < want) {
    const got = readSync(fd, buf, done, want - done, position + done);
    if (got === 0) break;
    done += got;
  }
  return done;
}
