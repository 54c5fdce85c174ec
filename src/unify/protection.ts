// How shared inodes are protected from in-place writes by guests (DESIGN: kernel protection policy).
import type { FileStat } from '../sys/file-stat.js';
import type { ProtectionState } from '../walk/classify-entry.js';
import type { NameAt, ReplaceOutcome } from './replace-with-link.js';

/** The policies a run can use once `auto` has been decided. */
export type EffectivePolicy = 'vserver' | 'immutable' | 'none';

/** A store entry as protection sees it: where it is, and the path messages print. */
export interface EntryRef extends NameAt {
  path: string;
}

/**
 * What became of one link made under a policy: made (and protected); not made (the replace
 * failed, or the policy refused before it; nothing changed); or made but the protection could not
 * be put (back) on the inode: for a new entry the caller unshares it again; for an entry that was
 * shared before (`fatal`), the run stops at once and the next run repairs it.
 */
export type ProtectedLink =
  | { kind: 'linked' }
  | { kind: 'not-linked'; outcome: ReplaceOutcome }
  /** `failsRun`: a protection this run claims could not be applied (exit status 1); upstream's own refusal does not. */
  | { kind: 'refused'; message: string; failsRun: boolean }
  | { kind: 'unprotected'; message: string; fatal: boolean };

/** What the unify stage asks of a policy. */
export interface Protection {
  readonly policy: EffectivePolicy;
  /** Upstream's flag query before hashing (spec 7.3 row 7). */
  query(stat: FileStat, at: NameAt): ProtectionState;
  /**
   * Runs `link`, which gives the entry's inode one more name, inside the policy's window: upstream's
   * attributes set first (vserver); or the immutable flag lifted, the link made and the flag put back
   * (immutable). `isNew`: the entry was made by this commit and was never shared.
   */
  linkShared(entry: EntryRef, isNew: boolean, link: () => ReplaceOutcome): ProtectedLink;
  /** An already unified file: its entry must carry the protection; repairs it, or the line saying it could not. */
  checkUnified(entry: EntryRef): string | undefined;
  /** End of run: what is still owed (stderr lines); the run fails when there are any. */
  finish(): string[];
}

/** `none`: plain hard links, nothing is locked (trusted guests only). */
export function createNoProtection(): Protection {
  return {
    policy: 'none',
    query: () => 'linkable',
    linkShared: (_entry, _isNew, link) => {
      const outcome = link();
      return outcome.ok ? { kind: 'linked' } : { kind: 'not-linked', outcome };
    },
    checkUnified: () => undefined,
    finish: () => [],
  };
}
