// `--check`: every file system a guest's files live on (its root, and the mount points the walk
// reaches) needs a storage root in the hash dir, or its files are skipped as `no matching device`.
import { existsSync, statSync } from 'node:fs';
import type { DecidePath } from '../walk/walk-tree.js';
import type { CheckReport } from '../report/check-report.js';
import { formatDevice, quotePath } from '../report/explain-lines.js';
import { quoteShellWord } from '../report/shell-quote.js';
import { formatErrno } from '../report/strerror.js';
import { concatBytes, normalizeDirPrefix, toBytes } from '../store/byte-text.js';
import type { StorageRoot } from '../store/storage-roots.js';
import { fstatFd } from '../sys/file-stat.js';
import { openRootDir, releaseDir, type DirHandle } from '../walk/dir-handle.js';
import { findMountPointsBelow, readMountPoints } from '../walk/mount-points.js';
import { tracePath } from '../walk/trace-path.js';

/** The tree of one guest (or of manual mode) and what decides about its paths. */
export interface CoveredTree {
  /** `guest 'g1'`, or the tree's path: the start of each finding. */
  label: Buffer;
  /** The directory the walk starts in (resolved: no symlinks). */
  root: Buffer;
  decide: DecidePath;
  /** Where a store directory would best go, in order of preference (e.g. the guests' directory). */
  storeSites: Buffer[];
}

/** Adds a finding for each file system of the tree that the hash dir (`printed`, used at `hashDir`) has no storage root on. */
export function checkCoverage(tree: CoveredTree, hashDir: string, printed: string | Buffer, roots: readonly StorageRoot[], report: CheckReport): void {
  let root: DirHandle;
  try {
    root = openRootDir(tree.root);
  } catch (error) {
    report.finding(tree.label, concatBytes('its root ', quotePath(tree.root), ` cannot be entered (${formatErrno(error)})`));
    return;
  }
  try {
    const seen = new Set<bigint>(roots.map((r) => r.dev));
    const places: Array<{ dev: bigint; path: Buffer }> = [{ dev: fstatFd(root.fd).dev, path: Buffer.from('/') }];
    for (const point of findMountPointsBelow(tree.root)) {
      const trace = tracePath(root, point, tree.decide);
      if (trace.end.kind !== 'reached') continue; // excluded, or below an excluded directory or a link: never walked
      const { stat } = trace.end.step;
      releaseDir(trace.end.dir);
      if (stat.isDirectory()) places.push({ dev: stat.dev, path: point });
    }
    for (const place of places) {
      if (seen.has(place.dev)) continue;
      seen.add(place.dev);
      const where = place.path.length === 1 ? Buffer.from('its root') : concatBytes('the mount point ', quotePath(place.path));
      report.finding(tree.label, concatBytes(
        'has files on a file system (device ', formatDevice(place.dev), ', ', where, ') on which the hash dir ', quotePath(printed),
        " has no storage root, so a run skips them as 'no matching device'",
      ), formatCoverageFix(place.dev, place.path, tree, hashDir));
    }
  } finally {
    releaseDir(root);
  }
}

// `mkdir -m 700 DIR && ln -s DIR HASHDIR/NAME`, with DIR on that file system outside the tree where one is known.
function formatCoverageFix(dev: bigint, path: Buffer, tree: CoveredTree, hashDir: string): Buffer {
  const h = normalizeDirPrefix(toBytes(hashDir));
  const site = findSite(dev, tree);
  let name = Buffer.from('root');
  if (existsSync(concatBytes(h, '/root'))) name = Buffer.from(`dev-${formatDevice(dev).replace(':', '-')}`);
  const entry = quoteShellWord(concatBytes(h, '/', name));
  if (site === undefined) {
    return concatBytes(
      'make a directory on that file system outside every guest and link it into the hash dir: ln -s DIR ', entry,
      path.length === 1 ? '' : concatBytes(", or exclude '", path, "' in the exclude list"),
    );
  }
  const store = quoteShellWord(concatBytes(normalizeDirPrefix(site), '/.hash'));
  return concatBytes('mkdir -m 700 ', store, ' && ln -s ', store, ' ', entry);
}

function isBelow(path: Buffer, dir: Buffer): boolean {
  const prefix = concatBytes(normalizeDirPrefix(dir), '/');
  return path.equals(dir) || (path.length > prefix.length && path.subarray(0, prefix.length).equals(prefix));
}

function findSite(dev: bigint, tree: CoveredTree): Buffer | undefined {
  const parent = tree.root.subarray(0, Math.max(1, normalizeDirPrefix(tree.root).lastIndexOf(0x2f)));
  const candidates = [...tree.storeSites, parent, ...readMountPoints()];
  for (const dir of candidates) {
    if (isBelow(dir, tree.root)) continue;
    try {
      if (statSync(dir, { bigint: true }).dev === dev) return dir;
    } catch {
      // not there
    }
  }
  return undefined;
}
