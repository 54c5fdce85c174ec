// The figures of a run's summary (--totals, --json) for one scope (a guest, or every guest of the
// run), collected from its events. A dry run feeds the same collector with planned outcomes
// (planned-outcomes.ts), so a dry run and the real run that follows report the same figures.
import type { InodeFigures, RunEvent, SkipReason } from './events.js';
import { SharingTally } from './sharing-tally.js';

/** Failures, by kind; `total` is their sum (each failure counted once). */
export interface ErrorCounts {
  total: number;
  /** `fstat error`: an entry vanished or could not be examined. */
  examine: number;
  /** `general error`: a file could not be hashed, or its store name not created. */
  hash: number;
  /** A `unifying` line after which linking failed (the file kept its inode). */
  link: number;
  /** A directory that could not be entered (its subtree was skipped). */
  directory: number;
  /** A store entry found without its policy's protection, which could not be applied. */
  protection: number;
}

/** What a scope came to (a dry run: what it would come to). Bytes are allocated bytes (st_blocks × 512). */
export interface RunFigures {
  /** Entries met, `.`/`..` and the directories entered aside (files, links, excluded entries…). */
  scanned: number;
  /** Regular files that passed every check before hashing: hashed, or found already unified. */
  eligible: number;
  /** Files that became links to a store entry (a dry run: would become). */
  newlyUnified: number;
  alreadyUnified: number;
  /** Every skip by upstream's reason (and ours), `already unified` and the error reasons included. */
  skipped: Partial<Record<SkipReason, number>>;
  errors: ErrorCounts;
  /** Blocks of the inodes the run released minus blocks of the entries it wrote (see man page). */
  savedByRunBytes: bigint;
  /** The scope's sharing after the run (sharing-tally.ts): on disk and in the page cache. */
  savedTotalBytes: bigint;
  pageCacheSharedBytes: bigint;
  /** Regular files of the scope, and the distinct inodes among them after the run. */
  regularFiles: number;
  inodes: number;
  newEntries: number;
  /** `name;XXXXXX` links of a crashed run removed. */
  leftoversRemoved: number;
  /** syncfs(2) calls that put new entries on disk before guests were pointed at them, and the time commits waited for them. */
  durableSyncs: number;
  durableWaitNs: bigint;
}

/** Whether an event is one entry scanned (what `files scanned` counts: one event per entry met). */
export function isScannedEntry(event: RunEvent): boolean {
  return (event.kind === 'skip' && event.reason !== 'dotfile') || event.kind === 'unifying' || event.kind === 'leftover-removed';
}

/** Skip reasons decided after a file was found eligible (it reached hashing or the fast path). */
const ELIGIBLE_REASONS: ReadonlySet<SkipReason> = new Set(['already unified', 'general error', 'extended attributes']);

/** An inode some of whose names the run moved to store entries. */
interface Moving {
  nlink: bigint;
  moved: bigint;
  blocks: bigint;
}

/** Counts one scope's events; `read()` gives its figures so far. */
export class FiguresCollector {
  private scanned = 0;
  private eligible = 0;
  private newlyUnified = 0;
  private newEntries = 0;
  private leftoversRemoved = 0;
  private durableSyncs = 0;
  private durableWaitNs = 0n;
  private readonly skipped: Partial<Record<SkipReason, number>> = {};
  private readonly errors: ErrorCounts = { total: 0, examine: 0, hash: 0, link: 0, directory: 0, protection: 0 };
  private releasedBytes = 0n;
  private writtenBytes = 0n;
  private readonly moving = new Map<string, Moving>();
  private readonly tally = new SharingTally();

  /** Takes one event; a dry run's `unifying` events come with their planned `linked` outcome. */
  observe(event: RunEvent): void {
    switch (event.kind) {
      case 'skip':
        if (event.reason === 'dotfile') return;
        this.scanned += 1;
        this.skipped[event.reason] = (this.skipped[event.reason] ?? 0) + 1;
        if (ELIGIBLE_REASONS.has(event.reason)) this.eligible += 1;
        if (event.reason === 'fstat error') this.countError('examine');
        if (event.reason === 'general error') this.countError('hash');
        if (event.stat?.isFile() === true) this.tally.addFile(event.stat);
        return;
      case 'unifying':
        this.scanned += 1;
        this.eligible += 1;
        return;
      case 'linked':
        this.newlyUnified += 1;
        if (event.newEntry) this.newEntries += 1;
        this.tally.addFile(event.after);
        this.countMove(event.before, event.after, event.newEntry);
        return;
      case 'link-failed':
        this.countError('link');
        this.tally.addFile(event.stat);
        return;
      case 'leftover-removed':
        this.scanned += 1;
        this.leftoversRemoved += 1;
        return;
      case 'dir-failed':
        this.countError('directory');
        return;
      case 'protection-failed':
        this.countError('protection');
        return;
      case 'traversal-end':
        this.durableSyncs += event.durable.syncs;
        this.durableWaitNs += event.durable.waitedNs;
        return;
      default:
        return;
    }
  }

  /** The figures so far. */
  read(): RunFigures {
    const sharing = this.tally.read();
    return {
      scanned: this.scanned,
      eligible: this.eligible,
      newlyUnified: this.newlyUnified,
      alreadyUnified: this.skipped['already unified'] ?? 0,
      skipped: { ...this.skipped },
      errors: { ...this.errors },
      savedByRunBytes: this.releasedBytes - this.writtenBytes,
      savedTotalBytes: sharing.savedBytes,
      pageCacheSharedBytes: sharing.pageCacheSharedBytes,
      regularFiles: sharing.files,
      inodes: sharing.inodes,
      newEntries: this.newEntries,
      leftoversRemoved: this.leftoversRemoved,
      durableSyncs: this.durableSyncs,
      durableWaitNs: this.durableWaitNs,
    };
  }

  private countError(kind: Exclude<keyof ErrorCounts, 'total'>): void {
    this.errors[kind] += 1;
    this.errors.total += 1;
  }

  /**
   * A guest name moved from inode `before` to entry `after`. `before` is released when the last of
   * its names (as many as its link count when first met) has moved; a new entry that is a copy
   * (not the file's own inode, as in sledgehammer mode) was written by the run.
   */
  private countMove(before: InodeFigures, after: InodeFigures, newEntry: boolean): void {
    const same = before.dev === after.dev && before.ino === after.ino;
    if (newEntry && !same) this.writtenBytes += after.blocks * 512n;
    if (same) return;
    if (before.nlink <= 1n) {
      this.releasedBytes += before.blocks * 512n;
      return;
    }
    const key = `${before.dev}:${before.ino}`;
    const known = this.moving.get(key) ?? { nlink: before.nlink, moved: 0n, blocks: before.blocks };
    known.moved += 1n;
    if (known.moved < known.nlink) {
      this.moving.set(key, known);
      return;
    }
    this.moving.delete(key);
    this.releasedBytes += known.blocks * 512n;
  }
}
