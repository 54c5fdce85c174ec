// The fast path's two questions to the inode index: "is this file a recorded entry?" and "remember it".
import { lstatSync, type BigIntStats } from 'node:fs';
import type { AlgorithmName } from '../hash/algorithms.js';
import { mtimeSeconds } from '../store/compare-entry.js';
import { formatCounterSuffix, formatDigestPath } from '../store/entry-path.js';
import type { InodeIndex } from '../store/inode-index.js';

/** The part of a storage root the fast path needs. */
export interface IndexedRoot {
  path: string;
  index?: InodeIndex;
}

/** The run settings a store entry's name depends on. */
export interface NamingSettings {
  algorithm: AlgorithmName;
  ignoreMtime: boolean;
  dryRun: boolean;
}

/**
 * True when this inode is a store entry we recorded, still under its name, and its attributes are
 * those the name was computed from (same algorithm and --ignore-mtime setting). Content is not read:
 * like upstream's "busy" flag check, this trusts that a shared inode is not written in place.
 */
export function isIndexedEntry(root: IndexedRoot, stat: BigIntStats, run: NamingSettings): boolean {
  if (root.index === undefined || stat.nlink < 2n) return false;
  const rec = root.index.lookup(stat);
  if (rec === undefined || rec.algorithm !== run.algorithm || rec.ignoreMtime !== run.ignoreMtime) return false;
  if (rec.mode !== stat.mode || rec.uid !== stat.uid || rec.gid !== stat.gid || rec.size !== stat.size) return false;
  if (!run.ignoreMtime && rec.mtimeSec !== mtimeSeconds(stat)) return false;
  let entry: BigIntStats;
  try {
    entry = lstatSync(root.path + formatDigestPath(rec.digest) + formatCounterSuffix(rec.counter), { bigint: true });
  } catch {
    return false;
  }
  return entry.dev === stat.dev && entry.ino === stat.ino;
}

/** Records that `entry` (the inode now shared) is the store entry at `digest`/`counter`. */
export function rememberEntry(root: IndexedRoot, entry: BigIntStats, digest: Buffer, counter: number, run: NamingSettings): void {
  if (root.index === undefined || run.dryRun) return;
  root.index.remember({
    ino: entry.ino,
    btimeNs: entry.birthtimeNs,
    mode: entry.mode,
    uid: entry.uid,
    gid: entry.gid,
    size: entry.size,
    mtimeSec: mtimeSeconds(entry),
    algorithm: run.algorithm,
    ignoreMtime: run.ignoreMtime,
    counter,
    digest,
  });
}
