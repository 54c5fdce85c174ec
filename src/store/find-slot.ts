// The collision loop: which store name a digest ends up at (spec 6.7).
import { closeSync, constants, lstatSync, mkdirSync, openSync, readdirSync, unlinkSync, type BigIntStats } from 'node:fs';
import { formatErrno } from '../report/strerror.js';
import { isUnifyable, isUnified } from './compare-entry.js';
import { formatCounterUnpadded, formatDigestPath, formatCounterSuffix } from './entry-path.js';

/** Where a file goes: it already is an entry, an entry to link to exists, or a new entry is made. */
export type SlotOutcome =
  | { kind: 'unified'; path: string; counter: number }
  | { kind: 'existing'; path: string; counter: number; stat: BigIntStats }
  | { kind: 'new'; path: string; counter: number }
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
  /** First counter to try (after a slot turned out to be full of links, EMLINK). */
  startCounter?: number;
  /**
   * Leave a free slot unclaimed (no placeholder): only while the store lock is held, when nobody
   * else can take it. Saves creating and freeing an inode per new entry.
   */
  skipPlaceholder?: boolean;
}

const PLACEHOLDER_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Tries counter 0, 1, 2, … below `rootPath` (which ends in `/`). A free slot is claimed in a real
 * run by creating its directories (0700) and an empty 0200 placeholder, so a concurrent or later
 * file cannot take it; in a dry run nothing is created.
 */
export function findSlot(rootPath: string, digest: Buffer, file: BigIntStats, opts: SlotOptions): SlotOutcome {
  const base = rootPath + formatDigestPath(digest);
  for (let counter = opts.startCounter ?? 0; ; counter += 1) {
    const path = base + formatCounterSuffix(counter);
    let entry: BigIntStats | undefined;
    try {
      entry = lstatSync(path, { bigint: true });
      if (!opts.dryRun && isLeftoverPlaceholder(entry, opts.reclaimBeforeNs)) entry = reclaimSlot(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (opts.dryRun && code !== 'ENOENT') {
        // QUIRK Q24: upstream names the counter (unpadded hex), not the path.
        return { kind: 'failed', message: `lstat('${formatCounterUnpadded(counter)}'): ${formatErrno(error)}\n` };
      }
    }
    if (entry !== undefined) {
      if (isUnified(file, entry)) return { kind: 'unified', path, counter };
      if (!isUnifyable(file, entry, opts.ignoreMtime)) continue;
      return { kind: 'existing', path, counter, stat: entry };
    }
    if (opts.dryRun) return { kind: 'new', path, counter };
    try {
      createFanOut(rootPath, base.slice(0, base.lastIndexOf('/')));
    } catch (error) {
      return { kind: 'failed', message: `mkdir("${base}"): ${formatErrno(error)}\n` };
    }
    if (opts.skipPlaceholder === true) return { kind: 'new', path, counter };
    try {
      closeSync(openSync(path, PLACEHOLDER_FLAGS, 0o200));
    } catch (error) {
      return { kind: 'failed', message: `open("${formatCounterUnpadded(counter)}"): ${formatErrno(error)}\n` };
    }
    return { kind: 'new', path, counter };
  }
}

/**
 * Creates the entry's `xx/yy` directories below the root. Node's recursive mkdir reports ENOENT
 * whatever stopped a missing component (a read-only or full file system, say); upstream's message
 * names the real error, so on ENOENT the components are created one by one to find it.
 */
function createFanOut(rootPath: string, dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (let at = dir.indexOf('/', rootPath.length); ; at = dir.indexOf('/', at + 1)) {
    try {
      mkdirSync(at === -1 ? dir : dir.slice(0, at), { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (at === -1) return;
  }
}

/**
 * IMPROVEMENT over QUIRK Q25: upstream never removes the empty 0200 placeholder of a run that died
 * before filling it, so that slot stays taken forever. We take it back (with any copy temporary
 * `<slot>;XXXXXX` beside it) when it is older than this run.
 */
function isLeftoverPlaceholder(entry: BigIntStats, before: bigint | undefined): boolean {
  return (
    before !== undefined &&
    entry.isFile() &&
    entry.size === 0n &&
    (entry.mode & 0o7777n) === 0o200n &&
    entry.nlink === 1n &&
    entry.mtimeNs < before
  );
}

function reclaimSlot(path: string): undefined {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash);
  const prefix = Buffer.from(`${path.slice(slash + 1)};`);
  for (const name of readdirSync(dir, { encoding: 'buffer' })) {
    if (name.length === prefix.length + 6 && name.subarray(0, prefix.length).equals(prefix)) {
      rmQuietly(Buffer.concat([Buffer.from(`${dir}/`), name]));
    }
  }
  rmQuietly(Buffer.from(path));
  return undefined;
}

function rmQuietly(path: Buffer): void {
  try {
    unlinkSync(path);
  } catch {
    // someone else took care of it
  }
}
