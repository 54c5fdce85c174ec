// A private copy of a file with everything the file carries: content (holes kept), owner, mode,
// nanosecond times and every extended attribute. What --unhashify and --clone give a guest; store
// entries get the narrower copy of copy-to-store.ts (they carry no attribute but the SELinux label).
import { formatErrno } from '../report/strerror.js';
import { O_CREAT, O_EXCL, O_NOFOLLOW, O_WRONLY } from '../sys/constants.js';
import { copyFileData } from '../sys/copy-range.js';
import { fchmodFd, fchownFd, futimensFd } from '../sys/file-meta.js';
import { unlinkAt } from '../sys/link-ops.js';
import { closeFd, openAt } from '../sys/open-at.js';
import { isSysError } from '../sys/sys-error.js';
import { getXattr, listXattrs, setXattr } from '../sys/xattrs.js';
import type { CopyOutcome, CopySubject } from './copy-to-store.js';

const DEST_FLAGS = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;
const MAX_NAME_TRIES = 100;

class StepError extends Error {
  constructor(readonly call: string, readonly cause: unknown) {
    super(call);
  }
}

function step<T>(call: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new StepError(call, error);
  }
}

/**
 * Copies every extended attribute of the open `src` to the open `dest` (directories too): file
 * capabilities, ACLs, `user.*`, `trusted.*`, the SELinux label. A source file system without
 * attributes has none; one that `dest` cannot take throws (nothing is silently dropped).
 */
export function copyXattrs(src: number, dest: number): void {
  let names: Buffer[];
  try {
    names = listXattrs(src);
  } catch (error) {
    if (isSysError(error, 'EOPNOTSUPP') || isSysError(error, 'ENOTSUP')) return;
    throw error;
  }
  for (const name of names) {
    const value = getXattr(src, name);
    if (value !== undefined) setXattr(dest, name, value);
  }
}

/**
 * Writes the content of the open, identity-checked `src` (as lstat saw it: `subject`) to a new file
 * below `dirFd` named by `name()` (tried again with a new name when it exists), then owner,
 * extended attributes, mode and times, in the order that keeps each: a write or chown clears a
 * file capability and set-id bits, so they come after both. On failure nothing is left behind;
 * `changed`: the source shrank while it was read.
 */
export function writeFullCopy(src: number, subject: CopySubject, dirFd: number, name: () => Buffer): CopyOutcome {
  let dest: number | undefined;
  let copy: Buffer | undefined;
  try {
    for (let attempt = 0; dest === undefined; attempt += 1) {
      const candidate = name();
      try {
        dest = openAt(dirFd, candidate, DEST_FLAGS, 0o600);
        copy = candidate;
      } catch (error) {
        if (!isSysError(error, 'EEXIST') || attempt >= MAX_NAME_TRIES) throw new StepError('open', error);
      }
    }
    const fd = dest;
    if (!step('write', () => copyFileData(src, fd, Number(subject.size)))) {
      closeFd(fd);
      dest = undefined;
      unlinkQuietly(dirFd, copy!);
      return { ok: false, changed: true };
    }
    step('fchown', () => fchownFd(fd, subject.uid, subject.gid));
    step('fsetxattr', () => copyXattrs(src, fd));
    step('fchmod', () => fchmodFd(fd, subject.mode));
    step('utime', () => futimensFd(fd, subject.atimeNs, subject.mtimeNs));
    step('close', () => closeFd(fd));
    dest = undefined;
    return { ok: true, copy: copy! };
  } catch (error) {
    if (dest !== undefined) closeQuietly(dest);
    if (copy !== undefined) unlinkQuietly(dirFd, copy);
    if (error instanceof StepError) return { ok: false, message: `${error.call}(): ${formatErrno(error.cause)}\n` };
    return { ok: false, message: `copy(): ${formatErrno(error)}\n` };
  }
}

function closeQuietly(fd: number): void {
  try {
    closeFd(fd);
  } catch {
    // already closed
  }
}

function unlinkQuietly(dirFd: number, name: Buffer): void {
  try {
    unlinkAt(dirFd, name);
  } catch {
    // gone already
  }
}
