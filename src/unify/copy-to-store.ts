// Copies a file under a temporary name: content (holes kept), owner, mode, nanosecond times and
// the extended attributes asked for. A guest file going into the store carries its SELinux label
// only (spec 8.6; the caller makes it durable and renames it into its slot); a guest's private copy
// carries every attribute (--unhashify, --clone, --audit --fix).
import { formatErrno } from '../report/strerror.js';
import { O_CREAT, O_EXCL, O_NOFOLLOW, O_WRONLY } from '../sys/constants.js';
import { copyFileData } from '../sys/copy-range.js';
import { fchmodFd, fchownFd, futimensFd } from '../sys/file-meta.js';
import { fstatFd } from '../sys/file-stat.js';
import { unlinkAt } from '../sys/link-ops.js';
import { closeFd, openAt } from '../sys/open-at.js';
import { isSysError } from '../sys/sys-error.js';
import { fsyncFd } from '../sys/sync.js';
import { openGuestFile } from '../walk/guest-read.js';
import { TEMP_DIR_NAME } from '../store/temp-dir.js';
import { computeTempSuffix } from './temp-name.js';
import { copySelinuxLabel, copyXattrs } from './copy-xattrs.js';
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

/** What a copy carries besides content, owner, mode and times; `fsync`: on disk before it is closed. */
export interface CopyCarries {
  xattrs: 'selinux-label' | 'all';
  fsync?: boolean;
}

/** A store entry's copy: the SELinux label is the one attribute it carries. */
export const STORE_ENTRY: CopyCarries = { xattrs: 'selinux-label' };

/** A guest's own copy of a file: every extended attribute, as the original carries them. */
export const PRIVATE_COPY: CopyCarries = { xattrs: 'all' };

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
    return writeCopy(src, subject, rootFd, name, STORE_ENTRY);
  } finally {
    closeFd(src);
  }
}

/**
 * Writes the content of the open, identity-checked `src` (as lstat saw it: `subject`) to a new file
 * below `dirFd` named by `name()` (asked again while the name exists), then owner, the extended
 * attributes `carries` names, mode and times: a write or a chown clears a file capability and the
 * set-id bits, so they come after both. Returns the copy's name; on failure nothing is left behind.
 * Holes of the source stay holes (copy_file_range of the data segments), where upstream turns every
 * zero page into a hole.
 */
export function writeCopy(src: number, subject: CopySubject, rootFd: number, name: () => Buffer, carries: CopyCarries): CopyOutcome {
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
    step('fsetxattr', () => (carries.xattrs === 'all' ? copyXattrs(src, fd) : copySelinuxLabel(src, fd)));
    step('fchmod', () => fchmodFd(fd, Number(subject.mode & 0o7777n)));
    step('utime', () => futimensFd(fd, subject.atimeNs, subject.mtimeNs));
    if (carries.fsync === true) step('fsync', () => fsyncFd(fd));
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
