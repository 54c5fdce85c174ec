// One guest file examined for the commit: opened safely, checked, digested.
import { formatErrno } from '../report/strerror.js';
import type { AlgorithmName } from '../hash/algorithms.js';
import { digestOpenFile, type HashSubject } from '../hash/digest-file.js';
import { fstatFd } from '../sys/file-stat.js';
import { closeFd } from '../sys/open-at.js';
import { hasForeignXattrs } from '../walk/foreign-xattrs.js';
import { openGuestFile } from '../walk/guest-read.js';
import type { Prepared } from './prepare-ahead.js';

export type { HashSubject } from '../hash/digest-file.js';

/**
 * The digest of one file, or the stderr lines upstream prints when it cannot compute one. With
 * `keepOpen`, `fd` is the still open, identity-checked file: the caller closes it. `ahead`: what a
 * hashing thread prepared for the commit (prepare-ahead.ts); a prepared copy's owner renames or
 * removes it. `skip`: a reason of ours to leave the file alone (it was not hashed).
 */
export type Examined =
  | { ok: true; digest: Buffer; fd?: number; ahead?: Prepared }
  | { ok: false; messages: Buffer[]; skip?: 'extended attributes' };

function quoteName(prefix: string, name: Buffer, suffix: string): Buffer {
  return Buffer.concat([Buffer.from(prefix), name, Buffer.from(suffix)]);
}

/**
 * Opens `name` inside directory `dirFd` without following links, checks it is the inode lstat saw,
 * leaves it alone when it carries extended attributes other than its SELinux label
 * (walk/foreign-xattrs.ts), and digests it. QUIRK Q32: upstream's messages name the bare entry,
 * not the path.
 */
export function examineFile(
  dirFd: number,
  name: Buffer,
  stat: HashSubject,
  algorithm: AlgorithmName,
  ignoreMtime: boolean,
  keepOpen = false,
): Examined {
  let fd: number;
  try {
    fd = openGuestFile(dirFd, name);
  } catch (error) {
    return { ok: false, messages: [quoteName("Failed to open '", name, `': ${formatErrno(error)}\n`)] };
  }
  let handedOver = false;
  try {
    const fst = fstatFd(fd);
    if (fst.dev !== stat.dev || fst.ino !== stat.ino) {
      return { ok: false, messages: [quoteName("An unexpected event occured while stating '", name, "'.\n")] };
    }
    if (hasForeignXattrs(fd)) return { ok: false, messages: [], skip: 'extended attributes' };
    const digest = digestOpenFile(fd, stat, algorithm, ignoreMtime);
    if (digest === undefined) return { ok: false, messages: [quoteName("Failed to calculate hash for '", name, "'.\n")] };
    handedOver = keepOpen;
    return keepOpen ? { ok: true, digest, fd } : { ok: true, digest };
  } finally {
    if (!handedOver) closeFd(fd);
  }
}
