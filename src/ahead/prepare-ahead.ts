// The file-sized work of a commit, done ahead on a hashing thread while the main thread commits
// earlier files: the copy for a new entry, or the byte comparison with an existing one. The main
// thread still decides everything, in traversal order; what was prepared only saves it work.
import { isUnifyable } from '../store/compare-entry.js';
import { formatEntryName } from '../store/entry-name.js';
import { createFanOut } from '../store/find-slot.js';
import { lstatAtIfExists, type FileStat } from '../sys/file-stat.js';
import { compareDescriptorWithEntry } from '../unify/compare-content.js';
import { STORE_ENTRY, formatCopyName, writeCopy, type CopySubject } from '../unify/copy-to-store.js';

/** What a hashing thread may prepare for one file. */
export interface AheadPlan {
  /** Descriptor of the storage root the file belongs to (shared by every thread of the process). */
  rootFd: number;
  /** Copy mode: write the copy for a free slot (into the root's temporary directory). */
  copy: boolean;
  ignoreMtime: boolean;
}

/** The store entry at counter 0 as it was when its bytes were found equal to the file's. */
export interface EntryIdentity {
  ino: bigint;
  ctimeNs: bigint;
}

/** A copy for a new entry (its owner renames or removes it; a name relative to the root), or an entry already compared. */
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
export function prepareAhead(fd: number, subject: CopySubject & Pick<FileStat, 'rdev'>, digest: Buffer, plan: AheadPlan): Prepared {
  const name = formatEntryName(digest, 0);
  const entry = lstatAtIfExists(plan.rootFd, name);
  if (entry === undefined) {
    if (!plan.copy) return {};
    try {
      createFanOut(plan.rootFd, digest);
    } catch {
      return {};
    }
    const written = writeCopy(fd, subject, plan.rootFd, () => formatCopyName(true), STORE_ENTRY);
    return written.ok ? { copy: written.copy } : {};
  }
  if (!entry.isFile() || !isUnifyable(subject, entry, plan.ignoreMtime)) return {};
  if (compareDescriptorWithEntry(fd, subject.size, { dirFd: plan.rootFd, name }) !== 'same') return {};
  return { sameAs: { ino: entry.ino, ctimeNs: entry.ctimeNs } };
}

/**
 * True when the entry the commit found is the one compared ahead and unchanged since: same inode
 * and change time (writing to it, or linking to it, moves its ctime; then the main thread compares).
 */
export function isComparedEntry(sameAs: EntryIdentity | undefined, counter: number, entry: Pick<FileStat, 'ino' | 'ctimeNs'>): boolean {
  return sameAs !== undefined && counter === 0 && entry.ino === sameAs.ino && entry.ctimeNs === sameAs.ctimeNs;
}
