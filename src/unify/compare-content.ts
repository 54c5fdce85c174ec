// Byte-for-byte comparison of a guest file with the store entry it is about to share.
import { closeSync, constants, fstatSync, openSync, readSync, type BigIntStats } from 'node:fs';

const CHUNK = 1024 * 1024;
const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;
let buffers: [Buffer, Buffer] | undefined;

/** Same bytes; different bytes; or the guest file is no longer the inode that was hashed. */
export type ContentVerdict = 'same' | 'different' | 'changed';

/**
 * Upstream trusts equal digests. Before a guest file is replaced by a link to an existing entry we
 * compare the two byte for byte: cheap insurance against a digest collision, and it catches a
 * store entry someone modified in place. Both sides are read through no-follow descriptors.
 */
export function compareWithEntry(guestPath: Buffer, guest: BigIntStats, entryPath: string | Buffer): ContentVerdict {
  let g: number;
  try {
    g = openSync(guestPath, FLAGS);
  } catch {
    return 'changed';
  }
  try {
    const gst = fstatSync(g, { bigint: true });
    if (gst.ino !== guest.ino || gst.dev !== guest.dev || gst.size !== guest.size) return 'changed';
    return compareDescriptorWithEntry(g, guest.size, entryPath);
  } catch {
    return 'changed';
  } finally {
    closeSync(g);
  }
}

/** Compares the first `size` bytes of the open guest file `g` with the entry (opened without following links). */
export function compareDescriptorWithEntry(g: number, size: bigint, entryPath: string | Buffer): ContentVerdict {
  buffers ??= [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  const [a, b] = buffers;
  let e: number | undefined;
  try {
    e = openSync(entryPath, FLAGS);
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
    if (e !== undefined) closeSync(e);
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
