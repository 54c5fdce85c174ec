// The conductor of one traversal: walk → classify → hash → store → unify → report, in order.
import { lstatSync, type BigIntStats } from 'node:fs';
import type { AlgorithmName } from '../hash/algorithms.js';
import { hashFile } from '../hash/hash-file.js';
import type { EntryEvent, SkipReason } from '../report/events.js';
import type { Output } from '../report/output.js';
import { formatErrno } from '../report/strerror.js';
import { formatEntryLine } from '../report/upstream-lines.js';
import type { RunStats } from '../report/run-stats.js';
import { mtimeSeconds } from '../store/compare-entry.js';
import { findSlot } from '../store/find-slot.js';
import type { InodeIndex } from '../store/inode-index.js';
import { formatDigestPath, formatCounterSuffix } from '../store/entry-path.js';
import { applyUnify, type UnifyMode } from '../unify/apply-unify.js';
import type { Protection } from '../unify/protection.js';
import { classifyEntry } from '../walk/classify-entry.js';
import { childPath, releaseDir, type DirHandle } from '../walk/dir-handle.js';
import { walkTree, type DecidePath } from '../walk/walk-tree.js';

/** A storage root as the run uses it. */
export interface RunRoot {
  dev: bigint;
  path: string;
  index?: InodeIndex;
}

/** Everything one traversal needs. */
export interface TreeRun {
  root: DirHandle;
  decide: DecidePath;
  roots: readonly RunRoot[];
  algorithm: AlgorithmName;
  dryRun: boolean;
  verbosity: number;
  refresh: boolean;
  ignoreMtime: boolean;
  mode: UnifyMode;
  protection: Protection;
  out: Output;
  stats: RunStats;
}

const SLASH = Buffer.from('/');

/** Walks and hashifies the tree; resolves once every decision has been committed. */
export async function hashifyTree(run: TreeRun): Promise<void> {
  const emit = (event: EntryEvent): void => {
    const line = formatEntryLine(event, run);
    if (line !== undefined) run.out.out(line);
  };
  const skip = (path: Buffer, reason: SkipReason, isSymlink = false): void => {
    run.stats.skipped[reason] = (run.stats.skipped[reason] ?? 0) + 1;
    emit({ kind: 'skip', path, reason, isDotfile: reason === 'dotfile', isSymlink });
  };
  const findRoot = (dev: bigint): RunRoot | undefined => run.roots.find((r) => r.dev === dev);

  for (const item of walkTree(run.root, SLASH, run.decide)) {
    switch (item.kind) {
      case 'dotfile':
        skip(item.path, 'dotfile');
        break;
      case 'excluded':
        skip(item.path, 'excluded');
        break;
      case 'lstat-failed':
        skip(item.path, 'fstat error');
        break;
      case 'dir-failed':
        // IMPROVEMENT over QUIRK Q34: upstream aborts the whole run here; we report it, go on, and exit 1.
        run.stats.failedDirs += 1;
        run.out.err(`chdir(): ${formatErrno(item.error)}\n`);
        run.out.err(Buffer.concat([Buffer.from("vhashify: could not enter '"), item.path, Buffer.from("'; it was skipped and the run ends with status 1\n")]));
        break;
      case 'entry':
        try {
          processEntry(run, item.dir, item.name, item.path, item.stat, skip, emit, findRoot);
        } finally {
          releaseDir(item.dir);
        }
        break;
    }
  }
}

function processEntry(
  run: TreeRun,
  dir: DirHandle,
  name: Buffer,
  path: Buffer,
  stat: BigIntStats,
  skip: (path: Buffer, reason: SkipReason, isSymlink?: boolean) => void,
  emit: (event: EntryEvent) => void,
  findRoot: (dev: bigint) => RunRoot | undefined,
): void {
  const procPath = childPath(dir, name);
  const verdict = classifyEntry(stat, procPath, { refresh: run.refresh, queryProtection: run.protection.query, findRoot });
  if (verdict.kind === 'skip') return skip(path, verdict.reason, verdict.reason === 'symlink');
  const root = verdict.root;
  if (!run.refresh && isIndexedEntry(root, stat, run)) return skip(path, 'already unified');

  const hashed = hashFile(procPath, name, stat, run.algorithm, run.ignoreMtime);
  if (!hashed.ok) {
    for (const message of hashed.messages) run.out.err(message);
    return skip(path, 'general error');
  }
  const slot = findSlot(root.path, hashed.digest, stat, run);
  if (slot.kind === 'failed') {
    run.out.err(slot.message);
    return skip(path, 'general error');
  }
  if (slot.kind === 'unified') {
    remember(root, stat, hashed.digest, slot.counter, run);
    return skip(path, 'already unified');
  }
  emit({ kind: 'unifying', path, entryPath: slot.path });
  run.stats.unifying += 1;
  if (run.dryRun) return;
  const result = applyUnify({ dir, name, stat, slot, mode: run.mode, protection: run.protection, path });
  if (!result.ok) {
    for (const message of result.messages) run.out.err(message);
    run.stats.linkFailures += 1;
    return;
  }
  run.stats.linked += 1;
  run.stats.linkedBytes += stat.size;
  if (slot.kind === 'new') run.stats.newEntries += 1;
  remember(root, result.entryStat, hashed.digest, slot.counter, run);
}

/** The fast path: this inode is a store entry we recorded, still under its name, with the attributes it was named for. */
function isIndexedEntry(root: RunRoot, stat: BigIntStats, run: TreeRun): boolean {
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

function remember(root: RunRoot, entry: BigIntStats, digest: Buffer, counter: number, run: TreeRun): void {
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
