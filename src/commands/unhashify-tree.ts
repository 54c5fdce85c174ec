// The conductor of --unhashify: walk → is this a store entry? → one private copy per entry inode
// → copies made durable → each guest name of the inode swapped for a link to its copy, inside the
// protection policy's window. Like a link, each swap is atomic (a link beside the name renamed
// over it), so a crash or a power cut leaves every guest path sharing its entry or private, never
// missing; the copies wait in the storage root's `.vhashify-tmp`, which the next locked run sweeps.
import type { Output } from '../report/output.js';
import { createUnhashifyStats, formatUnsharingLine, type UnhashifyStats } from '../report/admin-lines.js';
import { formatErrno } from '../report/strerror.js';
import type { ProtectionJournal } from '../store/protection-journal.js';
import type { StoreInventory } from '../store/store-inventory.js';
import { ensureTempDir, removeTempDir } from '../store/temp-dir.js';
import { fstatFd, type FileStat } from '../sys/file-stat.js';
import { unlinkAt } from '../sys/link-ops.js';
import { closeFd } from '../sys/open-at.js';
import { PRIVATE_COPY, formatCopyName, writeCopy } from '../unify/copy-to-store.js';
import type { CopyTicket, DurableCopies } from '../unify/durable-copies.js';
import { changeInsideWindow } from '../unify/entry-window.js';
import type { EffectivePolicy, EntryRef } from '../unify/protection.js';
import { replaceWithLink } from '../unify/replace-with-link.js';
import { DirChangedError, releaseDir, type DirHandle } from '../walk/dir-handle.js';
import { openGuestFile } from '../walk/guest-read.js';
import type { PathSelection } from '../walk/path-selection.js';
import { walkTree, type WalkItem } from '../walk/walk-tree.js';
import { sweepLeftover } from './sweep-leftover.js';

// The figures of a run, for the caller that prints them.
export { createUnhashifyStats, type UnhashifyStats };

/** A storage root as --unhashify uses it. */
export interface UnshareRoot {
  dev: bigint;
  fd: number;
  /** As upstream prints it, ending in `/`. */
  path: string;
  /** Which inodes are entries (from the directory listings alone). */
  inventory: StoreInventory;
  /** Real runs: copies reach the disk before a guest name is swapped for one. */
  durable?: DurableCopies;
  /** Real runs under `immutable`: entries whose flag is lifted for a swap. */
  journal?: ProtectionJournal;
  tempDirReady?: boolean;
}

/** Everything one --unhashify traversal needs. */
export interface UnhashifyRun {
  root: DirHandle;
  selection: PathSelection;
  roots: readonly UnshareRoot[];
  policy: EffectivePolicy;
  dryRun: boolean;
  verbosity: number;
  /** As a hashify run would have it: decides which `name;XXXXXX` leftovers are recognised. */
  ignoreMtime: boolean;
  out: Output;
  stats: UnhashifyStats;
}

/** Thrown to stop at once: an entry that stays shared could not get its flag back. */
export class UnprotectedEntryError extends Error {}

type Entry = Extract<WalkItem, { kind: 'entry' }>;

/** One entry inode of the guest and its private copy. */
interface PrivateCopy {
  root: UnshareRoot;
  entryName: Buffer;
  /** The copy's name below the root, once written. */
  name?: Buffer;
  ticket?: CopyTicket;
  /** Names of the inode besides the store's not yet swapped (an upper bound on the guest's). */
  remaining: bigint;
  failed: boolean;
}

interface Pending {
  item: Entry;
  copy: PrivateCopy;
}

const SLASH = Buffer.from('/');
/** Guest names whose copies are made before one sync covers them all. */
const WINDOW = 256;

/** Walks the tree and makes every selected store entry of it private; resolves when all is done. */
export async function unhashifyTree(run: UnhashifyRun): Promise<void> {
  const copies = new Map<string, PrivateCopy>();
  let batch: Pending[] = [];
  try {
    for (const item of walkTree(run.root, SLASH, run.selection.decide)) {
      if (item.kind === 'dir-failed') {
        reportDirFailure(run, item.path, item.error);
        continue;
      }
      if (item.kind !== 'entry') continue;
      const pending = plan(run, item, copies);
      if (pending === undefined) {
        releaseDir(item.dir);
        continue;
      }
      batch.push(pending);
      if (batch.length >= WINDOW) {
        const full = batch;
        batch = [];
        await commitBatch(run, full, copies);
      }
    }
    const last = batch;
    batch = [];
    await commitBatch(run, last, copies);
  } finally {
    for (const pending of batch) releaseDir(pending.item.dir);
    // Every guest name holds its copy by now (or still shares the entry): the store's name goes.
    for (const copy of copies.values()) if (copy.name !== undefined) removeQuietly(copy.root.fd, copy.name);
    for (const root of run.roots) if (root.tempDirReady === true) removeTempDir(root.fd);
  }
}

/** The store entry an entry of the walk is, if it is one (found by inode in its root's inventory). */
function findEntry(run: UnhashifyRun, stat: FileStat): { root: UnshareRoot; names: Buffer[] } | undefined {
  if (!stat.isFile() || stat.nlink < 2n) return undefined;
  const root = run.roots.find((r) => r.dev === stat.dev);
  const names = root?.inventory.namesOf(stat.ino);
  return root === undefined || names === undefined ? undefined : { root, names };
}

function plan(run: UnhashifyRun, item: Entry, copies: Map<string, PrivateCopy>): Pending | undefined {
  if (!run.selection.isSelected(item.path)) return undefined;
  // A crashed run's `name;XXXXXX` beside its owner (a link to the entry, or to this mode's private
  // copy) is a spare name with the owner's bytes and attributes, not a file of the guest.
  if (!run.dryRun && item.stat.isFile() && sweepLeftover(item, run.ignoreMtime)) {
    run.stats.leftoversRemoved += 1;
    if (run.verbosity >= 2) run.out.out(Buffer.concat([Buffer.from("  removing leftover '"), item.path, Buffer.from("'\n")]));
    return undefined;
  }
  const found = findEntry(run, item.stat);
  if (found === undefined) return undefined;
  const { root, names } = found;
  const key = `${item.stat.dev}:${item.stat.ino}`;
  let copy = copies.get(key);
  const line = formatUnsharingLine(item.path, `${root.path}${names[0]!.toString('latin1')}`, run.verbosity, run.dryRun);
  if (line !== undefined) run.out.out(line);
  if (copy === undefined) {
    copy = { root, entryName: names[0]!, remaining: item.stat.nlink - BigInt(names.length), failed: false };
    copies.set(key, copy);
    if (!run.dryRun) makeCopy(run, copy, item);
    if (!copy.failed) {
      run.stats.copies += 1;
      run.stats.copiedBytes += item.stat.size;
    }
  }
  if (copy.failed) {
    run.stats.failures += 1;
    return undefined;
  }
  run.stats.files += 1;
  return run.dryRun ? undefined : { item, copy };
}

/**
 * The private copy of the entry, read through the store's own name (a guest cannot swap that), with
 * everything the inode carries but its protection flag.
 */
function makeCopy(run: UnhashifyRun, copy: PrivateCopy, item: Entry): void {
  const { root } = copy;
  const fail = (message: string | Buffer): void => {
    copy.failed = true;
    run.out.err(message);
    run.out.err(Buffer.concat([Buffer.from("vhashify: '"), item.path, Buffer.from("' stays shared\n")]));
  };
  root.tempDirReady ??= ensureTempDir(root.fd);
  if (!root.tempDirReady) return fail(`vhashify: cannot create the directory for copies in '${root.path}'\n`);
  let src: number;
  try {
    src = openGuestFile(root.fd, copy.entryName);
  } catch (error) {
    return fail(`open(): ${formatErrno(error)}\n`);
  }
  try {
    const stat = fstatFd(src);
    if (stat.dev !== item.stat.dev || stat.ino !== item.stat.ino) return fail(`vhashify: store entry '${root.path}${copy.entryName.toString('latin1')}' changed meanwhile\n`);
    const made = writeCopy(src, stat, root.fd, () => formatCopyName(true), PRIVATE_COPY);
    if (!made.ok) return fail(made.message ?? 'copy(): the entry changed while it was copied\n');
    copy.name = made.copy;
    if (root.durable !== undefined) copy.ticket = root.durable.noteWritten();
  } finally {
    closeFd(src);
  }
}

async function commitBatch(run: UnhashifyRun, batch: readonly Pending[], copies: Map<string, PrivateCopy>): Promise<void> {
  try {
    const unsynced = await ensureDurable(run, batch);
    for (const pending of batch) {
      if (unsynced.has(pending.copy.root)) {
        run.stats.failures += 1;
        run.stats.files -= 1;
        continue;
      }
      commitOne(run, pending, copies);
    }
  } finally {
    for (const pending of batch) releaseDir(pending.item.dir);
  }
}

/** Waits until every copy the batch uses is on disk; returns the roots whose sync failed. */
async function ensureDurable(run: UnhashifyRun, batch: readonly Pending[]): Promise<Set<UnshareRoot>> {
  const newest = new Map<UnshareRoot, CopyTicket>();
  for (const { copy } of batch) {
    if (copy.ticket !== undefined && copy.ticket > (newest.get(copy.root) ?? 0)) newest.set(copy.root, copy.ticket);
  }
  const failed = new Set<UnshareRoot>();
  for (const [root, ticket] of newest) {
    try {
      await root.durable?.ensureDurable(ticket);
    } catch (error) {
      run.out.err(`syncfs(): ${formatErrno(error)}\n`);
      failed.add(root);
    }
  }
  return failed;
}

function commitOne(run: UnhashifyRun, { item, copy }: Pending, copies: Map<string, PrivateCopy>): void {
  const { root } = copy;
  const entry: EntryRef = { dirFd: root.fd, name: copy.entryName, path: `${root.path}${copy.entryName.toString('latin1')}` };
  const outcome = changeInsideWindow(run.policy, entry, root.journal, () => replaceWithLink({
    source: { dirFd: root.fd, name: copy.name! },
    target: { dirFd: item.dir.fd, name: item.name },
    expected: item.stat,
  }));
  if (outcome.kind === 'done') {
    copy.remaining -= 1n;
    if (copy.remaining <= 0n) {
      // Every other name of the inode was the guest's: the copy needs no store name any more.
      removeQuietly(root.fd, copy.name!);
      copies.delete(`${item.stat.dev}:${item.stat.ino}`);
    }
    return;
  }
  run.stats.failures += 1;
  run.stats.files -= 1;
  if (outcome.kind === 'not-done') {
    run.out.err(outcome.outcome.changed
      ? Buffer.concat([Buffer.from("vhashify: '"), item.path, Buffer.from("' changed while it was being made private; it was left as it is\n")])
      : outcome.outcome.message);
    return;
  }
  run.out.err(outcome.message);
  if (outcome.kind === 'unprotected') throw new UnprotectedEntryError();
}

function reportDirFailure(run: UnhashifyRun, path: Buffer, error: unknown): void {
  run.stats.failedDirs += 1;
  run.out.err(`${error instanceof DirChangedError ? 'safeChdir()' : 'chdir()'}: ${formatErrno(error)}\n`);
  run.out.err(Buffer.concat([Buffer.from("vhashify: could not enter '"), path, Buffer.from("'; it was skipped and the run ends with status 1\n")]));
}

function removeQuietly(dirFd: number, name: Buffer): void {
  try {
    unlinkAt(dirFd, name);
  } catch {
    // left for the next locked run's sweep of `.vhashify-tmp`
  }
}
