// What a run reports, as data; printing is the formatters' job, counting the report consumers'.
import type { FileStat } from '../sys/file-stat.js';

/** Upstream's skip reasons, spelled exactly as printed in parentheses. */
export type SkipReason =
  | 'dotfile'
  | 'excluded'
  | 'too small'
  | 'operation not supported'
  | 'fstat error'
  | 'symlink'
  | 'already unified'
  | 'non regular file'
  | 'no matching device'
  | 'general error'
  /** Ours (IMPROVEMENT over QUIRK Q28): extended attributes other than the SELinux label keep a file private. */
  | 'extended attributes';

/** What the summary reads of an inode (a dry run's planned entries have no lstat of their own). */
export type InodeFigures = Pick<FileStat, 'dev' | 'ino' | 'nlink' | 'blocks' | 'size'>;

/** The store entry a `unifying` line announces: one to create, or one that exists (its lstat). */
export type EntryTarget = { kind: 'new' } | { kind: 'existing'; stat: FileStat };

/** One thing that happened to one directory entry, in traversal order (the lines upstream prints). */
export type EntryEvent =
  /** `stat`: the walk's lstat, where there was one (not for excluded entries or a failed lstat). */
  | { kind: 'skip'; path: Buffer; reason: SkipReason; isDotfile: boolean; isSymlink: boolean; stat?: FileStat }
  | { kind: 'unifying'; path: Buffer; entryPath: string; stat: FileStat; target: EntryTarget };

/** What became of a `unifying` line in a real run, and the other things a summary counts. */
export type OutcomeEvent =
  /** The guest file now is a store entry: `before` the inode it was, `after` the entry's lstat. */
  | { kind: 'linked'; path: Buffer; before: FileStat; after: InodeFigures; newEntry: boolean }
  /** Linking failed (the stderr lines are out); the file keeps its inode. */
  | { kind: 'link-failed'; path: Buffer; stat: FileStat; protectionFailed: boolean }
  /** A `name;XXXXXX` link a crashed run left beside its file was removed. */
  | { kind: 'leftover-removed'; path: Buffer }
  /** A directory that could not be entered; its subtree was skipped. */
  | { kind: 'dir-failed'; path: Buffer }
  /** A store entry found without the protection its policy claims, and it could not be applied. */
  | { kind: 'protection-failed' };

/** What making new store entries durable cost one traversal. */
export interface DurableCost {
  syncs: number;
  waitedNs: bigint;
}

/** Where a run is: which guest, which tree (consumers keep figures per guest). */
export type ScopeEvent =
  /** A guest's turn begins. `name`: vserver mode's name as given; `root`: manual mode's path. */
  | { kind: 'guest-begin'; name?: Buffer; root?: Buffer; index: number; count: number }
  /** The traversal of the guest's tree begins; `rootStat` identifies the tree (previous counts). */
  | { kind: 'traversal-begin'; root: Buffer; rootStat: FileStat }
  /**
   * The traversal ended; `complete` unless it was stopped. `durable`: the syncfs(2) calls that put
   * new entries on disk before guest names were switched to them, and how long commits waited.
   */
  | { kind: 'traversal-end'; complete: boolean; durable: DurableCost }
  | { kind: 'guest-end'; exitCode: number };

/** Everything a run reports, in the order it happens. */
export type RunEvent = EntryEvent | OutcomeEvent | ScopeEvent;

/** A consumer of a run's events: the summary, the progress line, the record of counts. */
export type RunObserver = (event: RunEvent) => void;
