// Takes one name out of a storage root, lifting an immutable flag that forbids it (and putting the
// flag back when the inode keeps other names: then it is still shared and must stay protected).
import { formatErrno } from '../report/strerror.js';
import { FS_IMMUTABLE_FL, O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, O_RDONLY } from '../sys/constants.js';
import { fstatFd } from '../sys/file-stat.js';
import { getInodeFlags, setInodeFlags } from '../sys/inode-flags.js';
import { unlinkAt } from '../sys/link-ops.js';
import { closeFd, openAt } from '../sys/open-at.js';

/** What the removal requires of the inode right before it goes. */
export interface RemovalCondition {
  /** The most links the inode may have (its store names still to go): more means a guest links it now. */
  maxLinks?: bigint;
}

/** Removed; or kept, with the reason as a sentence part. */
export type RemovalOutcome = { ok: true } | { ok: false; reason: string };

const OPEN_FLAGS = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;

/**
 * Unlinks `name` (relative to the root) when the inode still meets `condition`. The inode is held
 * open meanwhile, so its flags and link count are those of the very file that goes. A file the
 * flag protects (`immutable` policy) cannot be unlinked: the flag is lifted first. Only for names
 * no guest uses: callers hold the store lock, so no run links to the entry meanwhile.
 */
export function removeStoreName(rootFd: number, name: Buffer, condition: RemovalCondition = {}): RemovalOutcome {
  let fd: number;
  try {
    fd = openAt(rootFd, name, OPEN_FLAGS);
  } catch (error) {
    return { ok: false, reason: `it cannot be opened (${formatErrno(error)})` };
  }
  try {
    const before = fstatFd(fd);
    if (condition.maxLinks !== undefined && before.nlink > condition.maxLinks) return { ok: false, reason: `it has ${before.nlink} links now` };
    const lifted = liftImmutableFlag(fd);
    if (!lifted.ok) return lifted;
    try {
      unlinkAt(rootFd, name);
    } catch (error) {
      if (lifted.flags !== undefined) restoreFlags(fd, lifted.flags);
      return { ok: false, reason: `unlinkat(): ${formatErrno(error)}` };
    }
    if (lifted.flags !== undefined && fstatFd(fd).nlink > 0n) restoreFlags(fd, lifted.flags);
    return { ok: true };
  } finally {
    closeFd(fd);
  }
}

/** The flag is off (it was, or was lifted: `flags` holds what to put back); or why it stays. */
function liftImmutableFlag(fd: number): { ok: true; flags?: number } | { ok: false; reason: string } {
  let flags: number;
  try {
    flags = getInodeFlags(fd);
  } catch {
    return { ok: true }; // a file system without flags has none to lift
  }
  if ((flags & FS_IMMUTABLE_FL) === 0) return { ok: true };
  try {
    setInodeFlags(fd, flags & ~FS_IMMUTABLE_FL);
  } catch (error) {
    return { ok: false, reason: `its immutable flag cannot be lifted (${formatErrno(error)})` };
  }
  return { ok: true, flags };
}

function restoreFlags(fd: number, flags: number): void {
  try {
    setInodeFlags(fd, flags);
  } catch {
    // The next hashify run repairs the flag of every shared entry it meets (checkUnified).
  }
}
