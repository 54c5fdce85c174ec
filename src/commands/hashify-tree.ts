// The conductor of one traversal: walk → classify → hash → store → unify → report.
// Hashing runs ahead on worker threads; decisions are committed strictly in traversal order, so
// output and results are those of upstream's one-file-at-a-time loop.
import { close, closeSync, constants, lstatSync, mkdirSync, openSync, rmdirSync, unlinkSync, type BigIntStats } from 'node:fs';
import type { AlgorithmName } from '../hash/algorithms.js';
import { hashFile, type HashOutcome } from '../hash/hash-file.js';
import { HashPool, type HashRequest } from '../hash/hash-pool.js';
import type { EntryEvent, SkipReason } from '../report/events.js';
import type { Output } from '../report/output.js';
import { formatErrno } from '../report/strerror.js';
import { formatEntryLine } from '../report/upstream-lines.js';
import type { RunStats } from '../report/run-stats.js';
import { isUnifyable } from '../store/compare-entry.js';
import { findSlot } from '../store/find-slot.js';
import type { InodeIndex } from '../store/inode-index.js';
import { applyUnify, type UnifyMode, type UnifyRequest } from '../unify/apply-unify.js';
import { compareWithEntry } from '../unify/compare-content.js';
import { isComparedEntry } from '../unify/prepare-ahead.js';
import type { Protection } from '../unify/protection.js';
import { isTempName, NAME_MAX } from '../unify/temp-name.js';
import { classifyEntry } from '../walk/classify-entry.js';
import { childPath, DirChangedError, readNames, releaseDir, type DirHandle } from '../walk/dir-handle.js';
import { walkTree, type DecidePath, type WalkItem } from '../walk/walk-tree.js';
import { isIndexedEntry, rememberEntry } from './indexed-entry.js';
import { PreparedCopy } from './prepared-copy.js';
import { ReplacedInodes } from './replaced-inodes.js';

/** A storage root as the run uses it. */
export interface RunRoot {
  dev: bigint;
  path: string;
  index?: InodeIndex;
  /** Set once this run created the root's temporary directory for copies. */
  tempDir?: string;
}

/** Copies are written here (inside the root, so they can be renamed into place) and the directory is removed at the end. */
export function computeTempDir(rootPath: string): string {
  return `${rootPath}.vhashify-tmp`;
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
  /** Hashing threads; 0 hashes inline. */
  threads?: number;
  /** Set while the store lock is held: older empty placeholders are crash leftovers (see find-slot). */
  reclaimBeforeNs?: bigint;
  /** Set while the store lock is held: free slots need no placeholder (see find-slot). */
  skipPlaceholder?: boolean;
}

/** A walked entry waiting for its turn to be committed. */
type Pending =
  | { kind: 'done'; item: WalkItem; reason?: SkipReason; isSymlink?: boolean }
  | { kind: 'hash'; item: Extract<WalkItem, { kind: 'entry' }>; root: RunRoot; seq: number; hash: Promise<HashOutcome> };

const SLASH = Buffer.from('/');
/** Linux O_PATH (Node does not name it). */
const O_PATH = 0o10000000;
/** How far hashing may run ahead of the commit point (files); bounds memory and open descriptors. */
const WINDOW = 256;
/** Replaced inodes whose freeing may still run in the background (descriptors kept open). */
const MAX_DEFERRED_CLOSES = 512;

/** Walks and hashifies the tree; resolves once every decision has been committed. */
export async function hashifyTree(run: TreeRun): Promise<void> {
  const pool = new HashPool(run.threads ?? 2, run.algorithm, run.ignoreMtime);
  const replaced = new ReplacedInodes();
  const closer = new DeferredCloser(MAX_DEFERRED_CLOSES);
  const queue: Pending[] = [];
  let head = 0;
  const commitReady = async (force: boolean): Promise<void> => {
    while (head < queue.length && (force || queue.length - head > WINDOW)) {
      await commit(run, queue[head]!, replaced, closer);
      queue[head] = undefined as unknown as Pending;
      head += 1;
    }
    if (head > 4096 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
  };
  try {
    for (const item of walkTree(run.root, SLASH, run.decide)) {
      queue.push(plan(run, item, pool, replaced));
      if (queue.length - head > WINDOW) await commitReady(false);
    }
    await commitReady(true);
  } finally {
    for (let i = head; i < queue.length; i += 1) {
      const p = queue[i]!;
      if (p.item.kind === 'entry') releaseDir(p.item.dir);
    }
    await closer.drain();
    await pool.close();
    for (const root of run.roots) removeTempDir(root);
  }
}

function ensureTempDir(root: RunRoot): string | undefined {
  if (root.tempDir !== undefined) return root.tempDir;
  const dir = computeTempDir(root.path);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined; // copy beside the slot instead
  }
  root.tempDir = dir;
  return dir;
}

function removeTempDir(root: RunRoot): void {
  if (root.tempDir === undefined) return;
  try {
    rmdirSync(root.tempDir);
  } catch {
    // not empty (a copy failed to be cleaned): the next run's sweep takes it
  }
}

/** Decides what can be decided at walk time, and starts hashing where a digest will be needed. */
function plan(run: TreeRun, item: WalkItem, pool: HashPool, replaced: ReplacedInodes): Pending {
  if (item.kind !== 'entry') return { kind: 'done', item };
  const verdict = classify(run, item);
  if (verdict.kind === 'skip') return { kind: 'done', item, reason: verdict.reason, isSymlink: verdict.reason === 'symlink' };
  const request: HashRequest = { procPath: childPath(item.dir, item.name), name: item.name, subject: item.stat, keepOpen: false };
  // The hashing thread prepares the copy or the byte comparison the commit will need (unify/prepare-ahead.ts).
  if (!run.dryRun) {
    const tempDir = run.mode === 'copy' ? ensureTempDir(verdict.root) : undefined;
    request.ahead = tempDir === undefined
      ? { rootPath: verdict.root.path, ignoreMtime: run.ignoreMtime }
      : { rootPath: verdict.root.path, tempDir, ignoreMtime: run.ignoreMtime };
  }
  return { kind: 'hash', item, root: verdict.root, seq: replaced.sequence, hash: pool.submit(request) };
}

function classify(
  run: TreeRun,
  item: Extract<WalkItem, { kind: 'entry' }>,
): { kind: 'skip'; reason: SkipReason } | { kind: 'candidate'; root: RunRoot } {
  const findRoot = (dev: bigint): RunRoot | undefined => run.roots.find((r) => r.dev === dev);
  const verdict = classifyEntry(item.stat, childPath(item.dir, item.name), {
    refresh: run.refresh,
    queryProtection: run.protection.query,
    findRoot,
  });
  if (verdict.kind === 'skip') return verdict;
  // The fast path: a recorded store entry is not read again (--refresh re-reads everything).
  if (!run.refresh && isIndexedEntry(verdict.root, item.stat, run)) return { kind: 'skip', reason: 'already unified' };
  return verdict;
}

async function commit(run: TreeRun, pending: Pending, replaced: ReplacedInodes, closer: DeferredCloser): Promise<void> {
  const { item } = pending;
  switch (item.kind) {
    case 'dotfile':
      return skip(run, item.path, 'dotfile');
    case 'excluded':
      return skip(run, item.path, 'excluded');
    case 'lstat-failed':
      return skip(run, item.path, 'fstat error');
    case 'dir-failed':
      // IMPROVEMENT over QUIRK Q34: upstream aborts the whole run here; we report it, go on, and exit 1.
      run.stats.failedDirs += 1;
      // Spec 7.1: a directory that is no longer the one lstat saw is upstream's `safeChdir(): Invalid argument`.
      run.out.err(`${item.error instanceof DirChangedError ? 'safeChdir()' : 'chdir()'}: ${formatErrno(item.error)}\n`);
      run.out.err(Buffer.concat([Buffer.from("vhashify: could not enter '"), item.path, Buffer.from("'; it was skipped and the run ends with status 1\n")]));
      return;
    case 'entry':
      break;
  }
  try {
    if (pending.kind === 'done') {
      if (pending.reason === 'already unified' && sweepLeftover(run, item)) return;
      return skip(run, item.path, pending.reason!, pending.isSymlink);
    }
    let outcome = await pending.hash;
    let entry = item;
    let root = pending.root;
    if (replaced.isStale(item.stat, pending.seq)) {
      // An earlier commit replaced this very inode (a second name for it, e.g. through a bind mount):
      // what was hashed (and prepared) ahead is stale, so look again now, as upstream's sequential
      // loop would.
      PreparedCopy.of(outcome).discard();
      let stat: BigIntStats;
      try {
        stat = lstatSync(childPath(item.dir, item.name), { bigint: true });
      } catch {
        return skip(run, item.path, 'fstat error');
      }
      entry = { ...item, stat };
      const verdict = classify(run, entry);
      if (verdict.kind === 'skip') return skip(run, item.path, verdict.reason, verdict.reason === 'symlink');
      root = verdict.root;
      outcome = hashFile(childPath(item.dir, item.name), item.name, stat, run.algorithm, run.ignoreMtime);
    }
    const prepared = PreparedCopy.of(outcome);
    try {
      commitHashed(run, entry, root, outcome, replaced, closer, prepared);
    } finally {
      prepared.discard(); // unless the decision took it for a new entry
    }
  } finally {
    releaseDir(item.dir);
  }
}

function commitHashed(
  run: TreeRun,
  item: Extract<WalkItem, { kind: 'entry' }>,
  root: RunRoot,
  outcome: HashOutcome,
  replaced: ReplacedInodes,
  closer: DeferredCloser,
  prepared: PreparedCopy,
): void {
  const { path, stat } = item;
  if (!outcome.ok) {
    for (const message of outcome.messages) run.out.err(message);
    return skip(run, path, 'general error');
  }
  let slot = findSlot(root.path, outcome.digest, stat, run);
  if (slot.kind === 'failed' || slot.kind === 'unified') {
    if (slot.kind === 'failed') {
      run.out.err(slot.message);
      return skip(run, path, 'general error');
    }
    rememberEntry(root, stat, outcome.digest, slot.counter, run);
    if (sweepLeftover(run, item)) return;
    return skip(run, path, 'already unified');
  }
  emit(run, { kind: 'unifying', path, entryPath: slot.path });
  run.stats.unifying += 1;
  if (run.dryRun) return;
  const holder = holdInode(childPath(item.dir, item.name));
  const request = (to: typeof slot & { kind: 'new' | 'existing' }): UnifyRequest => {
    const req: UnifyRequest = { dir: item.dir, name: item.name, stat, slot: to, mode: run.mode, protection: run.protection, path };
    if (to.kind === 'new' && run.mode === 'copy') {
      const tempDir = ensureTempDir(root);
      if (tempDir !== undefined) req.tempDir = tempDir;
      const copy = prepared.take();
      if (copy !== undefined) req.preparedCopy = copy;
    }
    if (to.kind === 'existing' && isComparedEntry(outcome.ahead?.sameAs, to.counter, to.stat)) req.contentVerified = true;
    return req;
  };
  let result = applyUnify(request(slot));
  // IMPROVEMENT over QUIRK Q29: an entry with the most links its filesystem allows sends the file to
  // the next counter (upstream fails every further identical file with `link(): Too many links`).
  while (!result.ok && result.slotFull === true) {
    const next = findSlot(root.path, outcome.digest, stat, { ...run, startCounter: slot.counter + 1 });
    if (next.kind === 'failed' || next.kind === 'unified') {
      result = { ok: false, messages: next.kind === 'failed' ? [next.message] : [] };
      break;
    }
    slot = next;
    result = applyUnify(request(slot));
  }
  // The replaced inode is freed when its last descriptor closes: do that in the background.
  if (holder !== undefined) closer.closeLater(holder);
  if (!result.ok) {
    for (const message of result.messages) run.out.err(message);
    run.stats.linkFailures += 1;
    return;
  }
  if (run.mode === 'copy' || slot.kind === 'existing') replaced.add(stat);
  run.stats.linked += 1;
  run.stats.linkedBytes += stat.size;
  if (slot.kind === 'new') run.stats.newEntries += 1;
  rememberEntry(root, result.entryStat, outcome.digest, slot.counter, run);
}

/**
 * A crash between our link and rename leaves `X;XXXXXX` beside `X`: an extra link to a store entry.
 * When such a name is a store entry and `X` exists, it is ours and is removed (upstream leaves its
 * own temporaries forever; theirs hold the original file and are never store entries, so they stay).
 */
function sweepLeftover(run: TreeRun, item: Extract<WalkItem, { kind: 'entry' }>): boolean {
  if (run.dryRun || !isTempName(item.name)) return false;
  const base = item.name.subarray(0, item.name.length - 7);
  const temp = childPath(item.dir, item.name);
  try {
    // A temporary as long as NAME_MAX may carry a cut name (computeTempBase): its owner starts with the cut.
    const owners = item.name.length < NAME_MAX ? [base] : [base, ...readNames(item.dir).filter((n) => !n.equals(item.name) && isLongerWithPrefix(n, base))];
    const isOurs = owners.some((name) => {
      const sibling = childPath(item.dir, name);
      const st = lstatSync(sibling, { bigint: true, throwIfNoEntry: false });
      return st !== undefined && isRedundantName(st, sibling, item.stat, temp, run.ignoreMtime);
    });
    if (!isOurs) return false;
    unlinkSync(temp);
  } catch {
    return false;
  }
  run.stats.leftoversRemoved += 1;
  if (run.verbosity >= 2) run.out.out(Buffer.concat([Buffer.from("  removing leftover '"), item.path, Buffer.from("'\n")]));
  return true;
}

function isLongerWithPrefix(name: Buffer, prefix: Buffer): boolean {
  return name.length > prefix.length && name.subarray(0, prefix.length).equals(prefix);
}

/**
 * Our leftover is a second name for what `X` is or was about to become: `X` is the same inode, or
 * (killed before the rename) holds the same bytes with the same attributes. A guest's own
 * `X;XXXXXX` with other content is not ours and must stay, even when it is a store entry.
 */
function isRedundantName(sibling: BigIntStats, siblingPath: Buffer, temp: BigIntStats, tempPath: Buffer, ignoreMtime: boolean): boolean {
  if (!sibling.isFile()) return false;
  if (sibling.dev === temp.dev && sibling.ino === temp.ino) return true;
  return isUnifyable(sibling, temp, ignoreMtime) && compareWithEntry(siblingPath, sibling, tempPath) === 'same';
}

function skip(run: TreeRun, path: Buffer, reason: SkipReason, isSymlink = false): void {
  run.stats.skipped[reason] = (run.stats.skipped[reason] ?? 0) + 1;
  emit(run, { kind: 'skip', path, reason, isDotfile: reason === 'dotfile', isSymlink });
}

function emit(run: TreeRun, event: EntryEvent): void {
  const line = formatEntryLine(event, run);
  if (line !== undefined) run.out.out(line);
}

/** An O_PATH descriptor: reads nothing, but keeps the inode alive until it is closed. */
function holdInode(path: Buffer): number | undefined {
  try {
    return openSync(path, O_PATH | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
}

/**
 * Closes descriptors on libuv's thread pool. When a guest file is replaced, its old inode is freed
 * on the last close; on filesystems with online discard that is slow, and it need not stop the walk.
 */
class DeferredCloser {
  private inflight = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  closeLater(fd: number): void {
    if (this.inflight >= this.limit) return this.closeNow(fd);
    this.inflight += 1;
    close(fd, () => {
      this.inflight -= 1;
      if (this.inflight === 0) for (const w of this.waiters.splice(0)) w();
    });
  }

  closeNow(fd: number): void {
    closeSync(fd);
  }

  drain(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
