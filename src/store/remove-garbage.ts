// Carries out one item of a gc plan (store/plan-garbage.ts) while the store lock is held.
import { formatErrno } from '../report/strerror.js';
import { AT_REMOVEDIR } from '../sys/constants.js';
import { unlinkAt } from '../sys/link-ops.js';
import { isSysError } from '../sys/sys-error.js';
import type { GarbageItem } from './plan-garbage.js';
import { removeStoreName, type RemovalOutcome } from './remove-store-name.js';

/** Removed; `skipped`: a directory that is not empty after all (a removal before it failed), left quietly. */
export type GarbageOutcome = RemovalOutcome | { ok: false; skipped: true };

/** Removes the item's name below the root: a file only while it has no more links than planned, a directory only when empty. */
export function removeGarbageItem(rootFd: number, item: GarbageItem): GarbageOutcome {
  if (item.kind !== 'empty directory') return removeStoreName(rootFd, item.name, item.maxLinks === undefined ? {} : { maxLinks: item.maxLinks });
  try {
    unlinkAt(rootFd, item.name, AT_REMOVEDIR);
    return { ok: true };
  } catch (error) {
    if (isSysError(error, 'ENOTEMPTY') || isSysError(error, 'EEXIST') || isSysError(error, 'ENOENT')) return { ok: false, skipped: true };
    return { ok: false, reason: `unlinkat(): ${formatErrno(error)}` };
  }
}
