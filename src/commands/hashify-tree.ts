// The conductor of one traversal: walk → classify → examine → store → unify → report.
// Examining runs ahead on worker threads; decisions are committed strictly in traversal order, so
// output and results are those of upstream's one-file-at-a-time loop.
import { ExaminePool, type ExamineRequest } from '../ahead/examine-pool.js';
import { examineFile, type Examined } from '../ahead/examine-file.js';
import { isComparedEntry } from '../ahead/prepare-ahead.js';
import type { AlgorithmName } from '../hash/algorithms.js';
import type { EntryEvent, RunObserver, SkipReason } from '../report/events.js';
import type { Output } from '../report/output.js';
import { formatEntryLine } from '../report/upstream-lines.js';
import type { RunStats } from '../report/run-stats.js';
import type { OpenRoot } from '../store/entry-name.js';
import { findSlot, type SlotOutcome } from '../store/find-slot.js';
import type { InodeIndex } from '../store/inode-index.js';
import { ensureTempDir, removeTempDir } from '../store/temp-dir.js';
import { O_NOFOLLOW, O_PATH } from '../sys/constants.js';
import { lstatAt, type FileStat } from '../sys/file-stat.js';
import { unlinkAt } from '../sys/link-ops.js';
import { openAt } from '../sys/open-at.js';
import { applyUnify, type UnifyMode, type UnifyRequest, type UnifyResult } from '../unify/apply-unify.js';
import { copyGuestFile, formatCopyName } from '../unify/copy-to-store.js';
import type { DurableCopies, CopyTicket } from '../unify/durable-copies.js';
import type { Protection } from '../unify/protection.js';
import { classifyEntry } from '../walk/classify-entry.js';
import { DirChangedError, releaseDir, type DirHandle } from '../walk/dir-handle.js';
import { walkTree, type DecidePath, type WalkItem } from '../walk/walk-tree.js';
import { formatErrno } from '../report/strerror.js';
import { DeferredCloser } from './deferred-closer.js';
import { isIndexedEntry, rememberEntry } from './indexed-entry.js';
import { PreparedCopy } from './prepared-copy.js';
import { ReplacedInodes } from './replaced-inodes.js';
import { sweepLeftover } from './sweep-leftover.js';

/** A storage root as the run uses it. */
export interface RunRoot extends OpenRoot {
  dev: bigint;
  index?: InodeIndex;
  /** Copies reach the disk before a guest path points at them (copy mode, real runs). */
  durable?: DurableCopies;
  /** Set once this run made the root's temporary directory for copies. */
  tempDirReady?: boolean;
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
  /** Hears every event of the run (the summary, the progress line); upstream's lines are printed anyway. */
  observe?: RunObserver;
  /** Hashing threads; 0 examines inline. */
  threads?: number;
  /** Set while the store lock is held: older empty placeholders are crash leftovers (see find-slot). */
  reclaimBeforeNs?: bigint;
  /** Set while the store lock is held: free slots need no placeholder (see find-slot). */
  skipPlaceholder?: boolean;
}

/** Thrown to stop a run at once: a shared entry was left without its protection. */
export class ProtectionLostError extends Error {}

type Entry = Extract<WalkItem, { kind: 'entry' }>;
type Ticketed = Examined & { ticket?: CopyTicket };

/** A walked entry waiting for its turn to be committed. */
type Pending =
  | { kind: 'done'; item: WalkItem; reason?: SkipReason; isSymlink?: boolean }
  | { kind: 'hash'; item: Entry; root: RunRoot; seq: number; hash: Promise<Ticketed> };

const SLASH = Buffer.from('/');
/** How far examining may run ahead of the commit point (files); bounds memory and open descriptors. */
const WINDOW = 1024;
/** Replaced inodes whose freeing may still run in the background (descriptors kept open). */
const MAX_DEFERRED_CLOSES = 512;

/** Walks and hashifies the tree; resolves once every decision has been committed. */
export async function hashifyTree(run: TreeRun): Promise<void> {
  const pool = new ExaminePool(run.threads ?? 2, run.algorithm, run.ignoreMtime);
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
    // Whatever was examined ahead and not committed (the run stopped): release it.
    for (let i = head; i < queue.length; i += 1) {
      const p = queue[i]!;
      if (p.kind === 'hash') void p.hash.then((o) => PreparedCopy.of(o, p.root.fd).discard(), () => undefined);
      if (p.item.kind === 'entry') releaseDir(p.item.dir);
    }
    await closer.drain();
    await pool.close();
    for (const root of run.roots) if (root.tempDirReady === true) removeTempDir(root.fd);
  }
}

/** Decides what can be decided at walk time, and starts examining where a digest will be needed. */
function plan(run: TreeRun, item: WalkItem, pool: ExaminePool, replaced: ReplacedInodes): Pending {
  if (item.kind !== 'entry') return { kind: 'done', item };
  const verdict = classify(run, item);
  if (verdict.kind === 'skip') return { kind: 'done', item, reason: verdict.reason, isSymlink: verdict.reason === 'symlink' };
  const root = verdict.root;
  const request: ExamineRequest = { dirFd: item.dir.fd, name: item.name, subject: item.stat };
  // The hashing thread prepares the copy or the byte comparison the commit will need (ahead/prepare-ahead.ts).
  if (!run.dryRun) request.ahead = { rootFd: root.fd, copy: run.mode === 'copy' && isTempDirReady(root), ignoreMtime: run.ignoreMtime };
  // A copy's data is on its way to the disk from the moment the thread wrote it (unify/durable-copies.ts).
  const hash = pool.submit(request).then((outcome): Ticketed => (outcome.ok && outcome.ahead?.copy !== undefined && root.durable !== undefined
    ? { ...outcome, ticket: root.durable.noteWritten() }
    : outcome));
  return { kind: 'hash', item, root, seq: replaced.sequence, hash };
}

function isTempDirReady(root: RunRoot): boolean {
  root.tempDirReady ??= ensureTempDir(root.fd);
  return root.tempDirReady;
}

function classify(run: TreeRun, item: Entry): { kind: 'skip'; reason: SkipReason } | { kind: 'candidate'; root: RunRoot } {
  const findRoot = (dev: bigint): RunRoot | undefined => run.roots.find((r) => r.dev === dev);
  const verdict = classifyEntry(item.stat, { dirFd: item.dir.fd, name: item.name }, {
    refresh: run.refresh,
    queryProtection: (stat, at) => run.protection.query(stat, at),
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
      run.observe?.({ kind: 'dir-failed', path: item.path });
      // Spec 7.1: a directory that is no longer the one lstat saw is upstream's `safeChdir(): Invalid argument`.
      run.out.err(`${item.error instanceof DirChangedError ? 'safeChdir()' : 'chdir()'}: ${formatErrno(item.error)}\n`);
      run.out.err(Buffer.concat([Buffer.from("vhashify: could not enter '"), item.path, Buffer.from("'; it was skipped and the run ends with status 1\n")]));
      return;
    case 'entry':
      break;
  }
  try {
    if (pending.kind === 'done') {
      if (pending.reason === 'already unified' && !run.dryRun && sweepLeftover(item, run.ignoreMtime)) return reportSwept(run, item.path);
      return skip(run, item.path, pending.reason!, pending.isSymlink, item.stat);
    }
    let outcome = await pending.hash;
    let entry = item;
    let root = pending.root;
    if (replaced.isStale(item.stat, pending.seq)) {
      // An earlier commit replaced this very inode (a second name for it, e.g. through a bind mount):
      // what was examined (and prepared) ahead is stale, so look again now, as upstream's sequential
      // loop would.
      PreparedCopy.of(outcome, root.fd).discard();
      let stat: FileStat;
      try {
        stat = lstatAt(item.dir.fd, item.name);
      } catch {
        return skip(run, item.path, 'fstat error');
      }
      entry = { ...item, stat };
      const verdict = classify(run, entry);
      if (verdict.kind === 'skip') return skip(run, item.path, verdict.reason, verdict.reason === 'symlink', stat);
      root = verdict.root;
      outcome = examineFile(item.dir.fd, item.name, stat, run.algorithm, run.ignoreMtime);
    }
    const prepared = PreparedCopy.of(outcome, root.fd);
    try {
      await commitExamined(run, entry, root, outcome, replaced, closer, prepared);
    } finally {
      prepared.discard(); // unless the decision took it for a new entry
    }
  } finally {
    releaseDir(item.dir);
  }
}

async function commitExamined(
  run: TreeRun,
  item: Entry,
  root: RunRoot,
  outcome: Ticketed,
  replaced: ReplacedInodes,
  closer: DeferredCloser,
  prepared: PreparedCopy,
): Promise<void> {
  const { path, stat } = item;
  if (!outcome.ok) {
    if (outcome.skip !== undefined) return skip(run, path, outcome.skip, false, stat);
    for (const message of outcome.messages) run.out.err(message);
    return skip(run, path, 'general error', false, stat);
  }
  let slot: SlotOutcome = findSlot(root, outcome.digest, stat, run);
  if (slot.kind === 'failed') {
    run.out.err(slot.message);
    return skip(run, path, 'general error', false, stat);
  }
  if (slot.kind === 'unified') {
    if (!run.dryRun) {
      const problem = run.protection.checkUnified({ dirFd: root.fd, name: slot.name, path: slot.path });
      if (problem !== undefined) {
        run.out.err(problem);
        run.stats.protectionFailures += 1;
        run.observe?.({ kind: 'protection-failed' });
      } else {
        // Stat again: a repaired flag moved the ctime, which the index records.
        rememberEntry(root, lstatAt(root.fd, slot.name), outcome.digest, slot.counter, run);
      }
      if (sweepLeftover(item, run.ignoreMtime)) return reportSwept(run, path);
    }
    return skip(run, path, 'already unified', false, stat);
  }
  emit(run, { kind: 'unifying', path, entryPath: slot.path, stat, target: slot.kind === 'new' ? { kind: 'new' } : { kind: 'existing', stat: slot.stat } });
  run.stats.unifying += 1;
  if (run.dryRun) return;
  const holder = holdInode(item);
  let result: UnifyResult;
  for (;;) {
    const request = await formatRequest(run, item, root, slot, outcome, prepared);
    result = request === undefined ? { ok: false, messages: [] } : applyUnify(request);
    if (result.ok || result.nextSlot !== true) break;
    // IMPROVEMENT over QUIRK Q29: an entry with the most links its file system allows (or with
    // attributes the file lacks) sends the file to the next counter.
    const next = findSlot(root, outcome.digest, stat, { ...run, startCounter: slot.counter + 1 });
    if (next.kind !== 'new' && next.kind !== 'existing') {
      result = { ok: false, messages: next.kind === 'failed' ? [next.message] : [] };
      break;
    }
    slot = next;
  }
  // The replaced inode is freed when its last descriptor closes: do that in the background.
  if (holder !== undefined) closer.closeLater(holder);
  if (!result.ok) {
    for (const message of result.messages) run.out.err(message);
    run.stats.linkFailures += 1;
    if (result.protectionFailed === true) run.stats.protectionFailures += 1;
    run.observe?.({ kind: 'link-failed', path, stat, protectionFailed: result.protectionFailed === true });
    if (result.fatal === true) throw new ProtectionLostError();
    return;
  }
  if (run.mode === 'copy' || slot.kind === 'existing') replaced.add(stat);
  run.stats.linked += 1;
  run.stats.linkedBytes += stat.size;
  if (slot.kind === 'new') run.stats.newEntries += 1;
  run.observe?.({ kind: 'linked', path, before: stat, after: result.entryStat, newEntry: slot.kind === 'new' });
  rememberEntry(root, result.entryStat, outcome.digest, slot.counter, run);
}

/**
 * The unify request for a slot. In copy mode a new entry needs its copy on disk first: the one a
 * hashing thread prepared, or one made now; undefined when none could be made (the stderr line is out).
 */
async function formatRequest(
  run: TreeRun,
  item: Entry,
  root: RunRoot,
  slot: Extract<SlotOutcome, { kind: 'new' | 'existing' }>,
  outcome: Extract<Ticketed, { ok: true }>,
  prepared: PreparedCopy,
): Promise<UnifyRequest | undefined> {
  const request: UnifyRequest = { dir: item.dir, name: item.name, stat: item.stat, path: item.path, root, slot, mode: run.mode, protection: run.protection };
  if (slot.kind === 'existing') {
    if (isComparedEntry(outcome.ahead?.sameAs, slot.counter, slot.stat)) request.contentVerified = true;
    return request;
  }
  if (run.mode !== 'copy') return request;
  let ticket = prepared.ticket;
  let copy = prepared.take();
  if (copy === undefined) {
    const made = copyGuestFile({ dirFd: item.dir.fd, name: item.name }, item.stat, root.fd, () => formatCopyName(isTempDirReady(root), slot.name));
    if (!made.ok) {
      if (made.changed === true) run.out.err(Buffer.concat([Buffer.from("vhashify: '"), item.path, Buffer.from("' changed while it was being hashified; it was left alone\n")]));
      else if (made.message !== undefined) run.out.err(made.message);
      removeQuietly(root.fd, slot.name); // the placeholder, when the slot was claimed with one
      return undefined;
    }
    copy = made.copy;
    ticket = root.durable?.noteWritten();
  }
  try {
    if (ticket !== undefined) await root.durable?.ensureDurable(ticket);
  } catch (error) {
    run.out.err(`syncfs(): ${formatErrno(error)}\n`);
    removeQuietly(root.fd, copy);
    removeQuietly(root.fd, slot.name);
    return undefined;
  }
  request.preparedCopy = copy;
  return request;
}

function removeQuietly(dirFd: number, name: Buffer): void {
  try {
    unlinkAt(dirFd, name);
  } catch {
    // already gone
  }
}

function reportSwept(run: TreeRun, path: Buffer): void {
  run.stats.leftoversRemoved += 1;
  run.observe?.({ kind: 'leftover-removed', path });
  if (run.verbosity >= 2) run.out.out(Buffer.concat([Buffer.from("  removing leftover '"), path, Buffer.from("'\n")]));
}

function skip(run: TreeRun, path: Buffer, reason: SkipReason, isSymlink = false, stat?: FileStat): void {
  run.stats.skipped[reason] = (run.stats.skipped[reason] ?? 0) + 1;
  const event: Extract<EntryEvent, { kind: 'skip' }> = { kind: 'skip', path, reason, isDotfile: reason === 'dotfile', isSymlink };
  if (stat !== undefined) event.stat = stat;
  emit(run, event);
}

/** Upstream's line for the event (if its level prints one), then the observers. */
function emit(run: TreeRun, event: EntryEvent): void {
  const line = formatEntryLine(event, run);
  if (line !== undefined) run.out.out(line);
  run.observe?.(event);
}

/** An O_PATH descriptor: reads nothing, but keeps the inode alive until it is closed. */
function holdInode(item: Entry): number | undefined {
  try {
    return openAt(item.dir.fd, item.name, O_PATH | O_NOFOLLOW);
  } catch {
    return undefined;
  }
}
