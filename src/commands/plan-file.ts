// What a run would do with one regular file the walk reaches, decided by the run's own steps
// (classify, the fast path, examine, the collision loop, the byte comparison) as a dry run takes
// them: nothing is created, linked or flagged. For `--explain`.
import { examineFile } from '../ahead/examine-file.js';
import type { AlgorithmName } from '../hash/algorithms.js';
import type { SkipReason } from '../report/events.js';
import { InodeIndex } from '../store/inode-index.js';
import { findSlot } from '../store/find-slot.js';
import type { StorageRoot } from '../store/storage-roots.js';
import { AT_FDCWD, O_DIRECTORY, O_RDONLY } from '../sys/constants.js';
import { fstatFd, type FileStat } from '../sys/file-stat.js';
import { closeFd, openAt } from '../sys/open-at.js';
import type { UnifyMode } from '../unify/apply-unify.js';
import { compareWithEntry, type ContentVerdict } from '../unify/compare-content.js';
import type { Protection } from '../unify/protection.js';
import { classifyEntry } from '../walk/classify-entry.js';
import { isIndexedEntry } from './indexed-entry.js';

/** A storage root opened for reading, with its inode index (read-only) where there is one. */
export interface PlanRoot {
  dev: bigint;
  fd: number;
  /** As upstream prints it, ending in `/`. */
  path: string;
  index?: InodeIndex;
}

/** Why a file would be skipped, finer than the printed reason. */
export type SkipCause =
  | 'symlink' | 'special' | 'too-small' | 'unsupported' | 'busy' | 'no-root' | 'indexed' | 'xattrs' | 'hash-failed'
  | 'is-entry' | 'slot-failed' | 'differs' | 'changed';

/** The outcome for one file: skipped (with upstream's reason), linked to an existing entry, or a new entry. */
export type FilePlan =
  | { kind: 'skip'; reason: SkipReason | undefined; cause: SkipCause; digest?: Buffer; entryPath?: string; messages?: Buffer[] }
  | { kind: 'link'; digest: Buffer; entryPath: string }
  | { kind: 'create'; digest: Buffer; entryPath: string; mode: UnifyMode };

/** The run settings the plan follows. */
export interface PlanSettings {
  algorithm: AlgorithmName;
  refresh: boolean;
  ignoreMtime: boolean;
  mode: UnifyMode;
  protection: Pick<Protection, 'query'>;
}

/** Opens the store's roots for reading and their inode indexes read-only; unusable roots are left out. */
export async function openPlanRoots(roots: readonly StorageRoot[], cacheDir: string): Promise<PlanRoot[]> {
  const opened: PlanRoot[] = [];
  for (const r of roots) {
    let fd: number;
    try {
      fd = openAt(AT_FDCWD, r.pathBytes, O_RDONLY | O_DIRECTORY);
    } catch {
      continue; // a run skips such files as `no matching device`
    }
    const root: PlanRoot = { dev: r.dev, fd, path: r.path };
    const index = await InodeIndex.open(cacheDir, fstatFd(fd), false);
    if (index !== undefined) root.index = index;
    opened.push(root);
  }
  return opened;
}

/** Closes what openPlanRoots opened. */
export function closePlanRoots(roots: readonly PlanRoot[]): void {
  for (const root of roots) {
    root.index?.close();
    closeFd(root.fd);
  }
}

/** The plan for the regular file (or anything else) `name` in directory `dirFd`, as lstat saw it. */
export function planFile(dirFd: number, name: Buffer, stat: FileStat, roots: readonly PlanRoot[], settings: PlanSettings): FilePlan {
  const at = { dirFd, name };
  const verdict = classifyEntry(stat, at, {
    refresh: settings.refresh,
    queryProtection: (s, where) => settings.protection.query(s, where),
    findRoot: (dev) => roots.find((r) => r.dev === dev),
  });
  if (verdict.kind === 'skip') return { kind: 'skip', reason: verdict.reason, cause: CLASSIFY_CAUSES[verdict.reason] ?? 'special' };
  const root = verdict.root;
  const naming = { algorithm: settings.algorithm, ignoreMtime: settings.ignoreMtime, dryRun: true };
  if (!settings.refresh && isIndexedEntry(root, stat, naming)) return { kind: 'skip', reason: 'already unified', cause: 'indexed' };
  const examined = examineFile(dirFd, name, stat, settings.algorithm, settings.ignoreMtime);
  if (!examined.ok) {
    if (examined.skip !== undefined) return { kind: 'skip', reason: examined.skip, cause: 'xattrs' };
    return { kind: 'skip', reason: 'general error', cause: 'hash-failed', messages: examined.messages };
  }
  const { digest } = examined;
  for (let start = 0; ; ) {
    const slot = findSlot(root, digest, stat, { dryRun: true, ignoreMtime: settings.ignoreMtime, startCounter: start });
    if (slot.kind === 'failed') return { kind: 'skip', reason: 'general error', cause: 'slot-failed', digest, messages: [Buffer.from(slot.message)] };
    if (slot.kind === 'unified') return { kind: 'skip', reason: 'already unified', cause: 'is-entry', digest, entryPath: slot.path };
    if (slot.kind === 'new') return { kind: 'create', digest, entryPath: slot.path, mode: settings.mode };
    const comparison: ContentVerdict = compareWithEntry(at, stat, { dirFd: root.fd, name: slot.name });
    if (comparison === 'same') return { kind: 'link', digest, entryPath: slot.path };
    // As the commit does: an entry with attributes the file lacks sends it to the next counter.
    if (comparison === 'entry-xattrs') {
      start = slot.counter + 1;
      continue;
    }
    // No skip line: a run prints only its stderr line and leaves the file alone.
    return { kind: 'skip', reason: undefined, cause: comparison === 'different' ? 'differs' : 'changed', digest, entryPath: slot.path };
  }
}

const CLASSIFY_CAUSES: Partial<Record<SkipReason, SkipCause>> = {
  symlink: 'symlink',
  'non regular file': 'special',
  'too small': 'too-small',
  'operation not supported': 'unsupported',
  'already unified': 'busy',
  'no matching device': 'no-root',
};
