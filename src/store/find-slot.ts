// The collision loop: which store name a digest ends up at (spec 6.7).
import { formatErrno } from '../report/strerror.js';
import { O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_RDONLY, O_WRONLY } from '../sys/constants.js';
import { readDirEntries } from '../sys/dir-entries.js';
import { lstatAtIfExists, type FileStat } from '../sys/file-stat.js';
import { mkdirAtIfMissing, unlinkAt } from '../sys/link-ops.js';
import { closeFd, openAt } from '../sys/open-at.js';
import { isUnifyable, isUnified, type EntryAttributes } from './compare-entry.js';
import { formatCounterUnpadded, formatDigestPath } from './entry-path.js';
import { formatEntryName, formatFanOutName, type OpenRoot } from './entry-name.js';

/** A slot: its name relative to the root, the path upstream prints, and its counter. */
export interface Slot {
  name: Buffer;
  path: string;
  counter: number;
}

/** Where a file goes: it already is an entry, an entry to link to exists, or a new entry is made. */
export type SlotOutcome =
  | ({ kind: 'unified' } & Slot)
  | ({ kind: 'existing'; stat: FileStat } & Slot)
  | ({ kind: 'new' } & Slot)
  | { kind: 'failed'; message: string };

/** What the loop needs besides the digest. */
export interface SlotOptions {
  dryRun: boolean;
  ignoreMtime: boolean;
  /**
   * Reclaim empty placeholders last changed before this time (ns since the epoch): leftovers of a
   * run that died between claiming a slot and filling it. Only safe while holding the store lock.
   */
  reclaimBeforeNs?: bigint;
  /** First counter to try (after a slot turned out unusable: full of links, or foreign attributes). */
  startCounter?: number;
  /**
   * Leave a free slot unclaimed (no placeholder): only while the store lock is held, when nobody
   * else can take it. Saves creating and freeing an inode per new entry.
   */
  skipPlaceholder?: boolean;
}

const PLACEHOLDER_FLAGS = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;

/**
 * Tries counter 0, 1, 2, … below the root. A free slot is claimed in a real run by creating its
 * directories (0700) and an empty 0200 placeholder, so a concurrent or later file cannot take it;
 * in a dry run nothing is created.
 */
export function findSlot(root: OpenRoot, digest: Buffer, file: EntryAttributes, opts: SlotOptions): SlotOutcome {
  for (let counter = opts.startCounter ?? 0; ; counter += 1) {
    const name = formatEntryName(digest, counter);
    const slot: Slot = { name, path: root.path + name.toString('latin1'), counter };
    let entry: FileStat | undefined;
    try {
      entry = lstatAtIfExists(root.fd, name);
      if (entry !== undefined && !opts.dryRun && isLeftoverPlaceholder(entry, opts.reclaimBeforeNs)) entry = reclaimSlot(root, name);
    } catch (error) {
      if (opts.dryRun) {
        // QUIRK Q24: upstream names the counter (unpadded hex), not the path.
        return { kind: 'failed', message: `lstat('${formatCounterUnpadded(counter)}'): ${formatErrno(error)}\n` };
      }
      entry = undefined; // upstream takes any lstat failure of a real run as a free slot
    }
    if (entry !== undefined) {
      if (isUnified(file, entry)) return { kind: 'unified', ...slot };
      if (!isUnifyable(file, entry, opts.ignoreMtime)) continue;
      return { kind: 'existing', stat: entry, ...slot };
    }
    if (opts.dryRun) return { kind: 'new', ...slot };
    try {
      createFanOut(root.fd, digest);
    } catch (error) {
      return { kind: 'failed', message: `mkdir("${root.path}${formatDigestPath(digest)}"): ${formatErrno(error)}\n` };
    }
    if (opts.skipPlaceholder === true) return { kind: 'new', ...slot };
    try {
      closeFd(openAt(root.fd, name, PLACEHOLDER_FLAGS, 0o200));
    } catch (error) {
      return { kind: 'failed', message: `open("${formatCounterUnpadded(counter)}"): ${formatErrno(error)}\n` };
    }
    return { kind: 'new', ...slot };
  }
}

/** Creates the entry's `xx` and `xx/yy` directories (0700 before the umask) below the root. */
export function createFanOut(rootFd: number, digest: Buffer): void {
  const fanOut = formatFanOutName(digest);
  // Most directories exist already: the common case costs two system calls and no error object.
  mkdirAtIfMissing(rootFd, fanOut.subarray(0, 2), 0o700);
  mkdirAtIfMissing(rootFd, fanOut, 0o700);
}

/**
 * IMPROVEMENT over QUIRK Q25: upstream never removes the empty 0200 placeholder of a run that died
 * before filling it, so that slot stays taken forever. We take it back (with any copy temporary
 * `<slot>;XXXXXX` beside it) when it is older than this run.
 */
function isLeftoverPlaceholder(entry: FileStat, before: bigint | undefined): boolean {
  return (
    before !== undefined &&
    entry.isFile() &&
    entry.size === 0n &&
    (entry.mode & 0o7777n) === 0o200n &&
    entry.nlink === 1n &&
    entry.mtimeNs < before
  );
}

function reclaimSlot(root: OpenRoot, name: Buffer): undefined {
  const slash = name.lastIndexOf(0x2f);
  const dirName = name.subarray(0, slash);
  const prefix = Buffer.concat([name.subarray(slash + 1), Buffer.from(';')]);
  const dirFd = openAt(root.fd, dirName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  try {
    for (const { name: entry } of readDirEntries(dirFd)) {
      if (entry.length === prefix.length + 6 && entry.subarray(0, prefix.length).equals(prefix)) unlinkQuietly(dirFd, entry);
    }
    unlinkQuietly(dirFd, name.subarray(slash + 1));
  } finally {
    closeFd(dirFd);
  }
  return undefined;
}

function unlinkQuietly(dirFd: number, name: Buffer): void {
  try {
    unlinkAt(dirFd, name);
  } catch {
    // someone else took care of it
  }
}
