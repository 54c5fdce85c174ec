// `--audit --fix` for one damaged entry: every guest that links it gets its own copy of what it
// holds now, then the entry leaves the store. Runs under the store lock.
import { formatErrno } from '../report/strerror.js';
import { ProtectionJournal } from '../store/protection-journal.js';
import { removeStoreName } from '../store/remove-store-name.js';
import { FS_IMMUTABLE_FL, O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, O_RDONLY } from '../sys/constants.js';
import { fstatFd } from '../sys/file-stat.js';
import { getInodeFlags, setInodeFlags } from '../sys/inode-flags.js';
import { closeFd, openAt } from '../sys/open-at.js';
import { givePrivateCopy, type SharedName } from '../unify/give-private-copy.js';

/** A damaged entry, with the names of it in each guest looked at. */
export interface DamagedTarget {
  rootFd: number;
  /** Every store name of the inode (usually one), relative to the root. */
  storeNames: Buffer[];
  byGuest: ReadonlyArray<{ guest: Buffer; names: SharedName[] }>;
  /** Where the journal of lifted flags lives (the next run puts back a flag a crash left lifted). */
  cacheDir: string;
}

/** Guests that got their copy, whether the entry left the store, and what went wrong. */
export interface FixOutcome {
  guests: Buffer[];
  removed: boolean;
  problems: string[];
}

const OPEN_FLAGS = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;

/**
 * Lifts the entry's immutable flag (it forbids renaming over a guest's name of it), gives each
 * guest a private copy (unify/give-private-copy.ts: durable, atomic, metadata kept), then removes
 * the store names, but only when every guest got its copy. Links outside the guests looked at keep
 * the inode; if it had the flag, it gets it back.
 */
export function fixDamagedEntry(target: DamagedTarget): FixOutcome {
  const outcome: FixOutcome = { guests: [], removed: false, problems: [] };
  const [first] = target.storeNames;
  if (first === undefined) return outcome;
  let fd: number;
  try {
    fd = openAt(target.rootFd, first, OPEN_FLAGS);
  } catch (error) {
    outcome.problems.push(`the entry cannot be opened (${formatErrno(error)})`);
    return outcome;
  }
  try {
    const flags = readFlags(fd);
    const locked = flags !== undefined && (flags & FS_IMMUTABLE_FL) !== 0;
    if (locked) {
      const journal = ProtectionJournal.forRoot(target.cacheDir, fstatFd(target.rootFd));
      journal.add(first);
      journal.close();
      try {
        setInodeFlags(fd, flags & ~FS_IMMUTABLE_FL);
      } catch (error) {
        outcome.problems.push(`its immutable flag cannot be lifted (${formatErrno(error)})`);
        return outcome;
      }
    }
    try {
      giveCopies(target, outcome);
      if (outcome.problems.length === 0) removeNames(target, outcome);
    } finally {
      if (locked && fstatFd(fd).nlink > 0n) restoreFlags(fd, flags, outcome);
    }
    return outcome;
  } finally {
    closeFd(fd);
  }
}

function giveCopies(target: DamagedTarget, outcome: FixOutcome): void {
  for (const { guest, names } of target.byGuest) {
    const copied = givePrivateCopy(names);
    for (const message of copied.messages) outcome.problems.push(`${guest.toString('utf8')}: ${String(message).trimEnd()}`);
    for (const path of copied.changed) outcome.problems.push(`${guest.toString('utf8')}: '${path.toString('utf8')}' changed meanwhile; left alone`);
    if (copied.messages.length === 0 && copied.changed.length === 0) outcome.guests.push(guest);
  }
}

function removeNames(target: DamagedTarget, outcome: FixOutcome): void {
  for (const name of target.storeNames) {
    const removed = removeStoreName(target.rootFd, name);
    if (!removed.ok) {
      outcome.problems.push(`the entry could not be taken out of the store: ${removed.reason}`);
      return;
    }
  }
  outcome.removed = true;
}

function readFlags(fd: number): number | undefined {
  try {
    return getInodeFlags(fd);
  } catch {
    return undefined; // a file system without flags
  }
}

function restoreFlags(fd: number, flags: number, outcome: FixOutcome): void {
  try {
    setInodeFlags(fd, flags);
  } catch (error) {
    outcome.problems.push(`its immutable flag could not be put back (${formatErrno(error)}); the next run repairs it`);
  }
}
