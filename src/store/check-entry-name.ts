// Does a store entry still hold what its name says? Its digest is computed again from its current
// attributes and content and compared with the name (restic's check: re-derive the name, compare).
import type { AlgorithmName } from '../hash/algorithms.js';
import { digestOpenFile } from '../hash/digest-file.js';
import { formatErrno } from '../report/strerror.js';
import { O_NOATIME, O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, O_RDONLY } from '../sys/constants.js';
import { fstatFd, type FileStat } from '../sys/file-stat.js';
import { closeFd, openAt } from '../sys/open-at.js';
import { isSysError } from '../sys/sys-error.js';
import { formatDigestPath } from './entry-path.js';
import { isPlaceholder } from './plan-garbage.js';

/**
 * `matches`: the digest gives the name (`ignoreMtime`: only with the mtime zeroed, as a store filled
 * with `--ignore-mtime` names it). `damaged`: neither digest does: content or attributes changed
 * since the entry was named. `placeholder`: an empty slot claim, not an entry yet. `unreadable`,
 * `gone`: it could not be checked.
 */
export type EntryCheck =
  | { kind: 'matches'; ignoreMtime: boolean; stat: FileStat }
  | { kind: 'damaged'; stat: FileStat }
  | { kind: 'placeholder' }
  | { kind: 'gone' }
  | { kind: 'unreadable'; reason: string };

const READ_FLAGS = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;

/** Checks the entry `name` (`xx/yy/rest-NNNNNNNN`, relative to the root) against its name. */
export function checkEntryName(rootFd: number, name: Buffer, algorithm: AlgorithmName): EntryCheck {
  let fd: number;
  try {
    fd = openEntry(rootFd, name);
  } catch (error) {
    if (isSysError(error, 'ENOENT')) return { kind: 'gone' };
    return { kind: 'unreadable', reason: `open(): ${formatErrno(error)}` };
  }
  try {
    const stat = fstatFd(fd);
    if (!stat.isFile()) return { kind: 'unreadable', reason: 'not a regular file' };
    if (isPlaceholder(stat)) return { kind: 'placeholder' };
    const named = name.toString('latin1').replace(/-[0-9a-f]{8}$/, '');
    for (const ignoreMtime of [false, true]) {
      const digest = digestOpenFile(fd, stat, algorithm, ignoreMtime);
      if (digest === undefined) return { kind: 'unreadable', reason: 'it shrank while it was read' };
      if (formatDigestPath(digest) === named) return { kind: 'matches', ignoreMtime, stat };
    }
    return { kind: 'damaged', stat };
  } finally {
    closeFd(fd);
  }
}

// Reading an entry should not move its access time, which every guest linking it shares.
function openEntry(rootFd: number, name: Buffer): number {
  try {
    return openAt(rootFd, name, READ_FLAGS | O_NOATIME);
  } catch (error) {
    if (!isSysError(error, 'EPERM')) throw error;
    return openAt(rootFd, name, READ_FLAGS);
  }
}
