// A store entry as the run reaches it: relative to its storage root's open descriptor, plus the
// path upstream prints (`<root>xx/yy/rest-NNNNNNNN`).
import { formatCounterSuffix, formatDigestPath } from './entry-path.js';

/** An open storage root: what every operation inside the store is relative to. */
export interface OpenRoot {
  /** O_DIRECTORY descriptor of the root (the admin's path, symlinks followed once at open). */
  fd: number;
  /** The root's path string as upstream builds it, ending in `/` (for output only). */
  path: string;
}

/** The entry's name relative to its root: `xx/yy/rest-NNNNNNNN` (ASCII). */
export function formatEntryName(digest: Buffer, counter: number): Buffer {
  return Buffer.from(formatDigestPath(digest) + formatCounterSuffix(counter), 'latin1');
}

/** The directory part of an entry name, `xx/yy`, relative to its root. */
export function formatFanOutName(digest: Buffer): Buffer {
  const hex = digest.toString('hex');
  return Buffer.from(`${hex.slice(0, 2)}/${hex.slice(2, 4)}`, 'latin1');
}
