// Copies a guest file into the store under a temporary name, with owner, mode, times and its
// SELinux label (spec 8.6); the caller makes it durable and renames it into its slot.
import { formatErrno } from '../report/strerror.js';
import { O_CREAT, O_EXCL, O_NOFOLLOW, O_WRONLY } from '../sys/constants.js';
import { copyFileData } from '../sys/copy-range.js';
import { fchmodFd, fchownFd, futimensFd } from '../sys/file-meta.js';
import { fstatFd } from '../sys/file-stat.js';
import { unlinkAt } from '../sys/link-ops.js';
import { closeFd, openAt } from '../sys/open-at.js';
import { isSysError } from '../sys/sys-error.js';
import { getXattr, setXattr } from '../sys/xattrs.js';
import { SELINUX_XATTR } from '../walk/foreign-xattrs.js';
import { openGuestFile } from '../walk/guest-read.js';
import { TEMP_DIR_NAME } from '../store/temp-dir.js';
import { computeTempSuffix } from './temp-name.js';
import type { NameAt } from './replace-with-link.js';

/**
 * The copy's name relative to the root; or the stderr line (none: upstream fails silently when the
 * source is not the inode it hashed); `changed`: the source shrank while it was copied.
 */
export type CopyOutcome = { ok: true; copy: Buffer } | { ok: false; message?: string; changed?: boolean };

/** The lstat fields a copy takes over (a FileStat has them; so does its copy sent to a hashing thread). */
export interface CopySubject {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mode: bigint;
  uid: bigint;
  gid: bigint;
  atimeNs: bigint;
  mtimeNs: bigint;
}

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

/** A fresh temporary name for a copy: in the root's `.vhashify-tmp`, or beside `slot` when that directory is missing. */
export function formatCopyName(inTempDir: boolean, slot?: Buffer): Buffer {
  return inTempDir || slot === undefined
    ? Buffer.concat([TEMP_DIR_NAME, Buffer.from('/copy'), computeTempSuffix()])
    : Buffer.concat([slot, computeTempSuffix()]);
}

/**
 * Copies the guest file `source` (opened here without following links and checked to be the inode
 * lstat saw) into the store: see writeCopy.
 */
export function copyGuestFile(source: NameAt, subject: CopySubject, rootFd: number, name: () => Buffer): CopyOutcome {
  let src: number;
  try {
    src = openGuestFile(source.dirFd, source.name);
  } catch (error) {
    return { ok: false, message: `open(): ${formatErrno(error)}\n` };
  }
  try {
    const fst = fstatFd(src);
    if (fst.dev !== subject.dev || fst.ino !== subject.ino) return { ok: false };
    return writeCopy(src, subject, rootFd, name);
  } finally {
    closeFd(src);
  }
}

/**
 * Writes the content of the open, identity-checked `src` (as lstat saw it: `subject`) to a new
 * file below `rootFd` with owner, mode, nanosecond times and the SELinux label; returns its name.
 * On failure nothing is left behind. Holes of the source stay holes (copy_file_range of the data
 * segments), where upstream turns every zero page into a hole.
 */
export function writeCopy(src: number, subject: CopySubject, rootFd: number, name: () => Buffer): CopyOutcome {
  let dest: number | undefined;
  let copy: Buffer | undefined;
  try {
    for (let attempt = 0; dest === undefined; attempt += 1) {
      const candidate = name();
      try {
        dest = openAt(rootFd, candidate, DEST_FLAGS, 0o200);
        copy = candidate;
      } catch (error) {
        if (!isSysError(error, 'EEXIST') || attempt >= MAX_NAME_TRIES) throw new StepError('open', error);
      }
    }
    const fd = dest;
    if (!step('write', () => copyFileData(src, fd, Number(subject.size)))) {
      closeFd(fd);
      dest = undefined;
      unlinkQuietly(rootFd, copy!);
      return { ok: false, changed: true };
    }
    step('fchown', () => fchownFd(fd, Number(subject.uid), Number(subject.gid)));
    step('fchmod', () => fchmodFd(fd, Number(subject.mode & 0o7777n)));
    step('utime', () => futimensFd(fd, subject.atimeNs, subject.mtimeNs));
    step('fsetxattr', () => copySelinuxLabel(src, fd));
    step('close', () => closeFd(fd));
    dest = undefined;
    return { ok: true, copy: copy! };
  } catch (error) {
    if (dest !== undefined) closeQuietly(dest);
    if (copy !== undefined) unlinkQuietly(rootFd, copy);
    if (error instanceof StepError) return { ok: false, message: `${error.call}(): ${formatErrno(error.cause)}\n` };
    return { ok: false, message: `copy(): ${formatErrno(error)}\n` };
  }
}

// The one attribute a shared entry carries (walk/foreign-xattrs.ts); a file system without labels has none.
function copySelinuxLabel(src: number, dest: number): void {
  let label: Buffer | undefined;
  try {
    label = getXattr(src, SELINUX_XATTR);
  } catch (error) {
    if (isSysError(error, 'EOPNOTSUPP')) return;
    throw error;
  }
  if (label !== undefined) setXattr(dest, SELINUX_XATTR, label);
}

function closeQuietly(fd: number): void {
  try {
    closeFd(fd);
  } catch {
    // already closed or never valid
  }
}

function unlinkQuietly(dirFd: number, name: Buffer): void {
  try {
    unlinkAt(dirFd, name);
  } catch {
    // gone already
  }
}
