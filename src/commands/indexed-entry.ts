// The fast path's two questions to the inode index: "is this file a recorded entry?" and "remember it".
import type { FileStat } from '../sys/file-stat.js';

type IndexedStat = Pick<FileStat, 'ino' | 'nlink' | 'birthtimeNs' | 'ctimeNs' | 'mode' | 'uid' | 'gid' | 'size' | 'mtimeNs'>;
import type { AlgorithmName } from '../hash/algorithms.js';
import { mtimeSeconds } from '../store/compare-entry.js';
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
 * True when this inode is a store entry we recorded, unchanged since: same birth time (not a reused
 * inode number), same change time, and the attributes its name was computed from (same algorithm
 * and --ignore-mtime setting). Content is not read and the store is not looked at: a ctime that has
 * not moved proves nobody wrote to the inode, changed its attributes, or added or removed a name of
 * it (so the entry is still there). Nobody but the kernel sets a ctime, so a guest that rewrites a
 * shared file in place and puts its mtime back is caught (it then takes the slow path, like upstream).
 */
export function isIndexedEntry(root: IndexedRoot, stat: IndexedStat, run: NamingSettings): boolean {
  if (root.index === undefined || stat.nlink < 2n) return false;
  const rec = root.index.lookup(stat);
  if (rec === undefined || rec.ctimeNs !== stat.ctimeNs) return false;
  if (rec.algorithm !== run.algorithm || rec.ignoreMtime !== run.ignoreMtime) return false;
  if (rec.mode !== stat.mode || rec.uid !== stat.uid || rec.gid !== stat.gid || rec.size !== stat.size) return false;
  return run.ignoreMtime || rec.mtimeSec === mtimeSeconds(stat);
}

/**
 * Records that `entry` (the inode now shared, stat taken after the run's last change to it, so with
 * its current ctime) is the store entry at `digest`/`counter`.
 */
export function rememberEntry(root: IndexedRoot, entry: IndexedStat, digest: Buffer, counter: number, run: NamingSettings): void {
  if (root.index === undefined || run.dryRun) return;
  root.index.remember({
    ino: entry.ino,
    btimeNs: entry.birthtimeNs,
    ctimeNs: entry.ctimeNs,
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
