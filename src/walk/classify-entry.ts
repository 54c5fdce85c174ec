// Upstream's per-entry checks after lstat (spec 7.3 rows 4–8), as one predicate chain.
import type { FileStat } from '../sys/file-stat.js';
import type { SkipReason } from '../report/events.js';

/** Files smaller than this are never hashed (upstream's HASH_MINSIZE). */
export const MIN_HASHED_SIZE = 16n;

/** What the protection policy says about a file before it is hashed (spec 8.7). */
export type ProtectionState = 'unsupported' | 'busy' | 'linkable';

/** The verdict on one non-directory entry: skip it, or hash it into the root for its device. */
export type Classification<Root> = { kind: 'skip'; reason: SkipReason } | { kind: 'candidate'; root: Root };

/** The lstat fields classification reads (a FileStat; a Node BigIntStats in tests). */
export type ClassifiedStat = Pick<FileStat, 'dev' | 'size' | 'nlink' | 'isFile' | 'isSymbolicLink'>;

/** What classification needs to know beyond the entry itself. */
export interface ClassifyContext<Root, Stat extends ClassifiedStat> {
  refresh: boolean;
  /** Upstream's ILI flag query; policies without kernel flags answer 'linkable'. */
  queryProtection(stat: Stat, at: { dirFd: number; name: Buffer }): ProtectionState;
  findRoot(dev: bigint): Root | undefined;
}

/**
 * Decides symlink / special / too small / protection / device, in upstream's order. It does not
 * look at content, the store, or whether the file already is a store entry: later stages do.
 */
export function classifyEntry<Root, Stat extends ClassifiedStat>(
  stat: Stat,
  at: { dirFd: number; name: Buffer },
  ctx: ClassifyContext<Root, Stat>,
): Classification<Root> {
  if (stat.isSymbolicLink()) return { kind: 'skip', reason: 'symlink' };
  if (!stat.isFile()) return { kind: 'skip', reason: 'non regular file' };
  if (stat.size < MIN_HASHED_SIZE) return { kind: 'skip', reason: 'too small' };
  const protection = ctx.queryProtection(stat, at);
  if (protection === 'unsupported') return { kind: 'skip', reason: 'operation not supported' };
  // Busy files with a single link get an implicit refresh, as upstream does.
  if (protection === 'busy' && stat.nlink > 1n && !ctx.refresh) return { kind: 'skip', reason: 'already unified' };
  const root = ctx.findRoot(stat.dev);
  if (root === undefined) return { kind: 'skip', reason: 'no matching device' };
  return { kind: 'candidate', root };
}
