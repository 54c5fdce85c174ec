// How many entries the last real run scanned in each tree, kept in the cache directory beside the
// inode index, so the next run's progress line can show an ETA from its first file on.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileStat } from '../sys/file-stat.js';
import type { RunObserver } from './events.js';
import { isScannedEntry } from './run-figures.js';

/** A tree is known by its root directory's identity, not its path (a guest may be renamed). */
function formatCountFile(cacheDir: string, rootStat: Pick<FileStat, 'dev' | 'ino' | 'birthtimeNs'>): string {
  return join(cacheDir, `${rootStat.dev}-${rootStat.ino}-${rootStat.birthtimeNs}.scanned`);
}

/** The count the last completed real run recorded for the tree, or undefined. */
export function readScanCount(cacheDir: string, rootStat: Pick<FileStat, 'dev' | 'ino' | 'birthtimeNs'>): number | undefined {
  try {
    const text = readFileSync(formatCountFile(cacheDir, rootStat), 'utf8');
    return /^\d{1,15}\n$/.test(text) ? Number(text.trim()) : undefined;
  } catch {
    return undefined;
  }
}

/** Records a tree's count; a cache that cannot be written only costs the next run its ETA. */
export function writeScanCount(cacheDir: string, rootStat: Pick<FileStat, 'dev' | 'ino' | 'birthtimeNs'>, count: number): void {
  const file = formatCountFile(cacheDir, rootStat);
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    writeFileSync(`${file}.new`, `${count}\n`, { mode: 0o600 });
    renameSync(`${file}.new`, file);
  } catch {
    // read-only or full cache file system
  }
}

/** An observer that records each completely traversed tree's count when its traversal ends. */
export function createScanCountRecorder(cacheDir: string): RunObserver {
  let rootStat: FileStat | undefined;
  let count = 0;
  return (event) => {
    if (event.kind === 'traversal-begin') {
      rootStat = event.rootStat;
      count = 0;
    } else if (event.kind === 'traversal-end') {
      if (event.complete && rootStat !== undefined) writeScanCount(cacheDir, rootStat, count);
      rootStat = undefined;
    } else if (isScannedEntry(event)) {
      count += 1;
    }
  };
}
