// The way back from sharing for one guest: its names of a shared inode become links to a private
// copy of it, made with the unify stage's own copy and replace primitives.
import { formatErrno } from '../report/strerror.js';
import { fstatFd, type FileStat } from '../sys/file-stat.js';
import { unlinkAt } from '../sys/link-ops.js';
import { closeFd } from '../sys/open-at.js';
import type { DirHandle } from '../walk/dir-handle.js';
import { openGuestFile } from '../walk/guest-read.js';
import { PRIVATE_COPY, writeCopy, type CopyCarries } from './copy-to-store.js';
import { replaceWithLink } from './replace-with-link.js';
import { computeTempBase, computeTempSuffix } from './temp-name.js';

/** Written to disk before any name points at it. */
const DURABLE_PRIVATE_COPY: CopyCarries = { ...PRIVATE_COPY, fsync: true };

/** One guest name of the shared inode, as the walk saw it. */
export interface SharedName {
  dir: DirHandle;
  name: Buffer;
  path: Buffer;
  stat: FileStat;
}

/** How many names now hold the copy; names that changed since the walk (left alone); stderr lines. */
export interface PrivateCopyOutcome {
  replaced: number;
  changed: Buffer[];
  messages: Array<string | Buffer>;
}

/**
 * Gives one guest its own copy of an inode it shares. One copy is written beside the first name
 * (`name;XXXXXX`) with content, owner, mode, times and every extended attribute, and reaches the
 * disk (fsync) before any name points at it; then each name is swapped for a link to it (link
 * beside, rename over: at every instant the name holds the shared inode or the copy, never
 * neither). A name that is no longer the inode the walk saw is left alone. Protection flags are not
 * copied; a flag on the shared inode that forbids the rename must be lifted by the caller.
 */
export function givePrivateCopy(names: readonly SharedName[]): PrivateCopyOutcome {
  const outcome: PrivateCopyOutcome = { replaced: 0, changed: [], messages: [] };
  const first = names[0];
  if (first === undefined) return outcome;
  const copy = makeCopy(first, outcome);
  if (copy === undefined) return outcome;
  try {
    for (const n of names) {
      const replaced = replaceWithLink({ source: { dirFd: first.dir.fd, name: copy }, target: { dirFd: n.dir.fd, name: n.name }, expected: n.stat });
      if (replaced.ok) outcome.replaced += 1;
      else if (replaced.changed) outcome.changed.push(n.path);
      else outcome.messages.push(replaced.message);
    }
  } finally {
    try {
      unlinkAt(first.dir.fd, copy);
    } catch {
      // gone already; a leftover `name;XXXXXX` would hold the same bytes as its owner
    }
  }
  return outcome;
}

/** The durable copy's name beside the first name, or undefined with the reason in `outcome`. */
function makeCopy(first: SharedName, outcome: PrivateCopyOutcome): Buffer | undefined {
  let src: number;
  try {
    src = openGuestFile(first.dir.fd, first.name);
  } catch (error) {
    outcome.messages.push(`open(): ${formatErrno(error)}\n`);
    return undefined;
  }
  try {
    const now = fstatFd(src);
    if (now.dev !== first.stat.dev || now.ino !== first.stat.ino) {
      outcome.changed.push(first.path);
      return undefined;
    }
    const made = writeCopy(src, now, first.dir.fd, () => Buffer.concat([computeTempBase(first.name), computeTempSuffix()]), DURABLE_PRIVATE_COPY);
    if (made.ok) return made.copy;
    if (made.changed === true) outcome.changed.push(first.path);
    else outcome.messages.push(made.message ?? 'copy(): failed\n');
    return undefined;
  } finally {
    closeFd(src);
  }
}
