// A change to another name of a store entry's inode (a private copy renamed over a guest's name of
// it), inside the policy's window. The stock-kernel immutable flag forbids rename(2) over and
// unlink(2) of every name of the inode, so, as for a link (immutable-protection.ts), the entry's
// name is journaled, the flag lifted for that one call and put back: the store keeps its name.
import { formatErrno } from '../report/strerror.js';
import type { ProtectionJournal } from '../store/protection-journal.js';
import { FS_IMMUTABLE_FL, O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, O_RDONLY } from '../sys/constants.js';
import { getInodeFlags, setInodeFlags } from '../sys/inode-flags.js';
import { closeFd, openAt } from '../sys/open-at.js';
import type { EntryRef, EffectivePolicy } from './protection.js';
import type { ReplaceOutcome } from './replace-with-link.js';

/**
 * The change was made (`done`) or not (`not-done`, nothing changed); `refused`: the window could
 * not be opened (the guest name still shares the entry); `unprotected`: the flag could not be put
 * back, so the entry, still shared by the store and maybe other guests, lacks it: the caller stops
 * at once, and the journal names it for the next run to repair.
 */
export type WindowOutcome =
  | { kind: 'done' }
  | { kind: 'not-done'; outcome: Extract<ReplaceOutcome, { ok: false }> }
  | { kind: 'refused'; message: string }
  | { kind: 'unprotected'; message: string };

const ENTRY_FLAGS = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;

/**
 * Runs `change` with the entry's immutable flag lifted when it is set: under `immutable`, and
 * under `none` too (a store an earlier run protected). `vserver`'s immutable-but-unlinkable
 * attributes allow a rename over the name: `change` just runs. The copy renamed in carries no flag.
 */
export function changeInsideWindow(policy: EffectivePolicy, entry: EntryRef, journal: ProtectionJournal | undefined, change: () => ReplaceOutcome): WindowOutcome {
  if (policy === 'vserver') return settle(change());
  let fd: number;
  try {
    fd = openAt(entry.dirFd, entry.name, ENTRY_FLAGS);
  } catch (error) {
    return { kind: 'refused', message: `vhashify: store entry '${entry.path}' cannot be opened (${formatErrno(error)}); the file stays shared\n` };
  }
  try {
    let flags: number;
    try {
      flags = getInodeFlags(fd);
    } catch (error) {
      // `none` on a file system without flags (ramfs, say): there is nothing to lift.
      if (policy === 'none') return settle(change());
      return { kind: 'refused', message: `vhashify: the flags of store entry '${entry.path}' cannot be read (${formatErrno(error)}); the file stays shared\n` };
    }
    const locked = (flags & FS_IMMUTABLE_FL) !== 0;
    if (!locked) return settle(change());
    journal?.add(entry.name);
    try {
      setInodeFlags(fd, flags & ~FS_IMMUTABLE_FL);
    } catch (error) {
      return { kind: 'refused', message: `vhashify: the immutable flag of store entry '${entry.path}' cannot be lifted (${formatErrno(error)}); the file stays shared\n` };
    }
    const outcome = change();
    try {
      setInodeFlags(fd, flags);
    } catch (error) {
      return { kind: 'unprotected', message: `vhashify: the immutable flag cannot be put back on store entry '${entry.path}' (${formatErrno(error)})\n` };
    }
    return settle(outcome);
  } finally {
    closeFd(fd);
  }
}

function settle(outcome: ReplaceOutcome): WindowOutcome {
  return outcome.ok ? { kind: 'done' } : { kind: 'not-done', outcome };
}
