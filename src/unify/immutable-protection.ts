// `immutable`: the ordinary immutable flag (FS_IMMUTABLE_FL, chattr +i) on every shared store entry,
// set and lifted through ioctl on the entry itself, one file at a time.
import { formatErrno } from '../report/strerror.js';
import { FS_IMMUTABLE_FL, O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, STATX_ATTR_IMMUTABLE } from '../sys/constants.js';
import { getInodeFlags, setInodeFlags } from '../sys/inode-flags.js';
import { closeFd, openAt } from '../sys/open-at.js';
import type { ProtectionJournal } from '../store/protection-journal.js';
import type { ProtectedLink, Protection } from './protection.js';

/** A storage root as this policy needs it: its descriptor and the journal of lifted flags. */
export interface JournaledRoot {
  fd: number;
  journal?: ProtectionJournal;
}

const ENTRY_FLAGS = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;

/**
 * The flag forbids link(2), rename(2) and unlink(2) of the inode, so every link to a locked entry
 * opens a window of its own: the entry's name goes into the root's journal, the flag is lifted, the
 * guest file is linked, the flag is put back; the window is closed before the next file. A guest
 * file is only ever left sharing an entry whose flag is in place: a new entry that cannot take the
 * flag is unshared again by the caller; an entry whose flag cannot be put back stops the run (the
 * journal names it, and the next run repairs it before anything else).
 */
export function createImmutableProtection(roots: readonly JournaledRoot[]): Protection {
  const journals = new Map(roots.map((r) => [r.fd, r.journal]));
  let owed = false;
  return {
    policy: 'immutable',
    // Upstream's "busy" test with our flag: a locked file with several names is already shared.
    query: (stat) => ((stat.attributes & STATX_ATTR_IMMUTABLE) !== 0 && stat.nlink > 1n ? 'busy' : 'linkable'),
    linkShared(entry, isNew, link): ProtectedLink {
      let fd: number;
      try {
        fd = openAt(entry.dirFd, entry.name, ENTRY_FLAGS);
      } catch (error) {
        return { kind: 'refused', message: `vhashify: store entry '${entry.path}' cannot be opened (${formatErrno(error)}); the file stays private\n`, failsRun: true };
      }
      try {
        let flags: number;
        try {
          flags = getInodeFlags(fd);
        } catch (error) {
          return { kind: 'refused', message: `vhashify: the flags of store entry '${entry.path}' cannot be read (${formatErrno(error)}); the file stays private\n`, failsRun: true };
        }
        // A flag is only lifted on an entry that was shared before: never on a guest's own file.
        const wasLocked = (flags & FS_IMMUTABLE_FL) !== 0 && !isNew;
        if (wasLocked) {
          journals.get(entry.dirFd)?.add(entry.name);
          try {
            setInodeFlags(fd, flags & ~FS_IMMUTABLE_FL);
          } catch (error) {
            return { kind: 'refused', message: `vhashify: the immutable flag of store entry '${entry.path}' cannot be lifted to link it (${formatErrno(error)}); the file stays private\n`, failsRun: true };
          }
        }
        const outcome = link();
        // Nothing new is shared: a flag we did not lift is not ours to set (a guest's swapped file, say).
        if (!outcome.ok && !wasLocked) return { kind: 'not-linked', outcome };
        try {
          setInodeFlags(fd, flags | FS_IMMUTABLE_FL);
        } catch (error) {
          owed = owed || wasLocked || !isNew;
          return {
            kind: 'unprotected',
            fatal: wasLocked || !isNew,
            message: `vhashify: the immutable flag cannot be set on store entry '${entry.path}' (${formatErrno(error)})\n`,
          };
        }
        return outcome.ok ? { kind: 'linked' } : { kind: 'not-linked', outcome };
      } finally {
        closeFd(fd);
      }
    },
    checkUnified(entry) {
      const problem = lockEntry(entry);
      return problem === undefined ? undefined : `vhashify: store entry '${entry.path}' lacks the immutable flag, and it cannot be set (${problem})\n`;
    },
    finish() {
      if (owed) return [];
      for (const journal of journals.values()) journal?.clear();
      return [];
    },
  };
}

/** Puts the flag on an entry that lacks it; undefined when it is (now) in place, else the reason. */
export function lockEntry(entry: { dirFd: number; name: Buffer }): string | undefined {
  let fd: number;
  try {
    fd = openAt(entry.dirFd, entry.name, ENTRY_FLAGS);
  } catch (error) {
    return formatErrno(error);
  }
  try {
    const flags = getInodeFlags(fd);
    if ((flags & FS_IMMUTABLE_FL) === 0) setInodeFlags(fd, flags | FS_IMMUTABLE_FL);
    return undefined;
  } catch (error) {
    return formatErrno(error);
  } finally {
    closeFd(fd);
  }
}
