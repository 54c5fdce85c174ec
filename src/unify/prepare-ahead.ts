// The file-sized work of a commit, done ahead on a hashing thread while the main thread commits
// earlier files: the copy for a new entry, or the byte comparison with an existing one. The main
// thread still decides everything, in traversal order; what was prepared only saves it work.
import { lstatSync, mkdirSync, type BigIntStats } from 'node:fs';
import { isUnifyable } from '../store/compare-entry.js';
import { formatCounterSuffix, formatDigestPath } from '../store/entry-path.js';
import { compareDescriptorWithEntry } from './compare-content.js';
import { formatCopyTempPath, writeCopy } from './copy-to-store.js';

/** What a hashing thread may prepare for one file. */
export interface AheadPlan {
  /** The storage root the file belongs to (ends in `/`). */
  rootPath: string;
  /** Copy mode: the root's temporary directory, where copies are written. */
  tempDir?: string;
  ignoreMtime: boolean;
}

/** The store entry at counter 0 as it was when its bytes were found equal to the file's. */
export interface EntryIdentity {
  ino: bigint;
  ctimeNs: bigint;
}

/** A copy for a new entry (its owner renames or removes it), or an entry already compared. */
export interface Prepared {
  copy?: Buffer;
  sameAs?: EntryIdentity;
}

/**
 * Right after hashing, while the file is open and in the page cache. No entry at counter 0: in
 * copy mode the copy is written into the root's temporary directory (and the entry's `xx/yy`
 * directories made). An entry the file may be linked to: its bytes are compared with the file's.
 * Any failure just leaves the work to the main thread, which reports it as upstream would.
 */
export function prepareAhead(fd: number, subject: BigIntStats, digest: Buffer, plan: AheadPlan): Prepared {
  const base = plan.rootPath + formatDigestPath(digest);
  const entryPath = base + formatCounterSuffix(0);
  const entry = lstatSync(entryPath, { bigint: true, throwIfNoEntry: false });
  if (entry === undefined) {
    if (plan.tempDir === undefined) return {};
    try {
      mkdirSync(base.slice(0, base.lastIndexOf('/')), { recursive: true, mode: 0o700 });
    } catch {
      return {};
    }
    const temp = formatCopyTempPath(plan.tempDir);
    return writeCopy(fd, subject, temp).ok ? { copy: temp } : {};
  }
  if (!entry.isFile() || !isUnifyable(subject, entry, plan.ignoreMtime)) return {};
  if (compareDescriptorWithEntry(fd, subject.size, entryPath) !== 'same') return {};
  return { sameAs: { ino: entry.ino, ctimeNs: entry.ctimeNs } };
}

/**
 * True when the entry the commit found is the one compared ahead and unchanged since: same inode
 * and change time (writing to it, or linking to it, moves its ctime; then the main thread compares).
 */
export function isComparedEntry(sameAs: EntryIdentity | undefined, counter: number, entry: BigIntStats): boolean {
  return sameAs !== undefined && counter === 0 && entry.ino === sameAs.ino && entry.ctimeNs === sameAs.ctimeNs;
}
