// Applies a clone plan (plan-clone.ts) below a new directory: store entries get one more name
// (inside the protection policy's window, so it works under `immutable`, where `cp -al` fails),
// everything else is copied with owner, mode, nanosecond times and extended attributes.
import type { Output } from '../report/output.js';
import { createCloneStats, formatCloneLine, type CloneStats } from '../report/admin-lines.js';
import { formatErrno } from '../report/strerror.js';
import { AT_SYMLINK_NOFOLLOW, O_DIRECTORY, O_NOFOLLOW, O_PATH, O_RDONLY, S_IFMT } from '../sys/constants.js';
import { fchmodAt, fchmodFd, fchownAt, fchownFd, futimensFd, utimensAt } from '../sys/file-meta.js';
import { fstatFd, lstatAt, type FileStat } from '../sys/file-stat.js';
import { linkAt, mkdirAt, mknodAt, readlinkAt, symlinkAt, unlinkAt } from '../sys/link-ops.js';
import { closeFd, openAt } from '../sys/open-at.js';
import { copyXattrs } from '../unify/copy-xattrs.js';
import { PRIVATE_COPY, writeCopy } from '../unify/copy-to-store.js';
import type { Protection } from '../unify/protection.js';
import type { ReplaceOutcome } from '../unify/replace-with-link.js';
import type { DirHandle } from '../walk/dir-handle.js';
import { openGuestFile } from '../walk/guest-read.js';
import { planClone, type CloneAction, type InventoriedRoot } from './plan-clone.js';

// The figures of a clone, for the caller that prints them.
export { createCloneStats, type CloneStats };

/** Everything one clone needs. */
export interface CloneRun {
  source: DirHandle;
  /** The new tree: `name` is created in the open directory `parentFd` (it must not exist). */
  dest: { parentFd: number; name: Buffer };
  roots: readonly InventoriedRoot[];
  protection: Protection;
  dryRun: boolean;
  verbosity: number;
  out: Output;
  stats: CloneStats;
}

/** Thrown to stop at once: an entry linked under `immutable` could not get its flag back. */
export class CloneStoppedError extends Error {}

/** Thrown when the new tree's root cannot be made (nothing was created). */
export class CloneRootError extends Error {
  constructor(readonly cause: unknown) {
    super(`mkdir(): ${formatErrno(cause)}`);
  }
}

type At = Extract<CloneAction, { kind: 'copy' }>;

/** Plans and (unless a dry run) applies the clone; resolves once the tree is complete. */
export function cloneTree(run: CloneRun): void {
  const actions = planClone(run.source, run.roots);
  if (run.dryRun) {
    for (const action of actions) countPlanned(run.stats, action);
    return;
  }
  try {
    mkdirAt(run.dest.parentFd, run.dest.name, 0o700);
  } catch (error) {
    throw new CloneRootError(error);
  }
  const rootFd = openAt(run.dest.parentFd, run.dest.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  const destDev = fstatFd(rootFd).dev;
  // One descriptor per directory being filled; undefined below a directory that could not be made.
  const stack: Array<number | undefined> = [rootFd];
  try {
    for (const action of actions) {
      const top = stack[stack.length - 1];
      if (action.kind === 'leave') {
        stack.pop();
        if (top !== undefined) finishDir(run, action.dir, action.stat, top);
        continue;
      }
      if (top === undefined) {
        if (action.kind === 'enter') stack.push(undefined);
        continue;
      }
      stack.push(...applyAction(run, action, top, rootFd, destDev));
    }
  } finally {
    for (const fd of stack) if (fd !== undefined) closeFd(fd);
  }
}

/** Applies one action inside the open directory `destFd`; an `enter` returns the new directory's descriptor. */
function applyAction(run: CloneRun, action: Exclude<CloneAction, { kind: 'leave' }>, destFd: number, rootFd: number, destDev: bigint): Array<number | undefined> {
  switch (action.kind) {
    case 'failed':
      fail(run, action.path, `${formatErrno(action.error)}`);
      return [];
    case 'enter':
      return [makeDir(run, action, destFd)];
    case 'mount-point': {
      const fd = makeDir(run, action, destFd);
      if (fd !== undefined) {
        run.stats.mountPoints += 1;
        finishDir(run, undefined, action.stat, fd);
        closeFd(fd);
      }
      return [];
    }
    case 'link':
      if (action.root.dev === destDev && linkEntry(run, action, destFd)) return [];
      copyFile(run, action, destFd);
      return [];
    case 'hardlink':
      if (!linkFirstName(run, action, destFd, rootFd)) copyFile(run, action, destFd);
      return [];
    case 'copy':
      copyFile(run, action, destFd);
      return [];
    case 'symlink':
      attempt(run, action.path, () => {
        symlinkAt(readlinkAt(action.dir.fd, action.name), destFd, action.name);
        fchownAt(destFd, action.name, action.stat.uid, action.stat.gid, AT_SYMLINK_NOFOLLOW);
        utimensAt(destFd, action.name, action.stat.atimeNs, action.stat.mtimeNs, AT_SYMLINK_NOFOLLOW);
        run.stats.symlinks += 1;
      });
      return [];
    case 'special':
      attempt(run, action.path, () => {
        mknodAt(destFd, action.name, Number(action.stat.mode) & (S_IFMT | 0o7777), action.stat.rdev);
        fchownAt(destFd, action.name, action.stat.uid, action.stat.gid, AT_SYMLINK_NOFOLLOW);
        fchmodAt(destFd, action.name, action.stat.mode);
        utimensAt(destFd, action.name, action.stat.atimeNs, action.stat.mtimeNs, AT_SYMLINK_NOFOLLOW);
        run.stats.special += 1;
      });
      return [];
  }
}

function makeDir(run: CloneRun, action: At | Extract<CloneAction, { kind: 'enter' | 'mount-point' }>, destFd: number): number | undefined {
  try {
    mkdirAt(destFd, action.name, 0o700);
    const fd = openAt(destFd, action.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    run.stats.directories += 1;
    return fd;
  } catch (error) {
    fail(run, action.path, `mkdir(): ${formatErrno(error)}; nothing below it was cloned`);
    return undefined;
  }
}

/** Extended attributes, owner, mode, then times (last: making the content moved them). */
function finishDir(run: CloneRun, source: DirHandle | undefined, stat: FileStat, fd: number): void {
  try {
    fchownFd(fd, stat.uid, stat.gid);
    if (source !== undefined) copyXattrs(source.fd, fd);
    fchmodFd(fd, stat.mode);
    futimensFd(fd, stat.atimeNs, stat.mtimeNs);
  } catch (error) {
    run.stats.failures += 1;
    run.out.err(`vhashify: the attributes of a cloned directory could not all be set (${formatErrno(error)})\n`);
  }
}

/** One more name for the store entry, in the policy's window; false: copy instead (said why, unless the entry is full). */
function linkEntry(run: CloneRun, action: Extract<CloneAction, { kind: 'link' }>, destFd: number): boolean {
  const { root, entryName } = action;
  const entry = { dirFd: root.fd, name: entryName, path: `${root.path}${entryName.toString('latin1')}` };
  const linked = run.protection.linkShared(entry, false, (): ReplaceOutcome => {
    try {
      linkAt(root.fd, entryName, destFd, action.name);
      return { ok: true };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return { ok: false, changed: false, message: `link(): ${formatErrno(error)}\n`, ...(code === undefined ? {} : { code }) };
    }
  });
  switch (linked.kind) {
    case 'linked':
      run.stats.linked += 1;
      emit(run, 'linking', action.path);
      return true;
    case 'not-linked':
      // A full entry (EMLINK) is not worth a line: the file is copied, as a hashify run would link it to the next counter.
      if (!linked.outcome.ok && linked.outcome.code !== 'EMLINK') run.out.err(linked.outcome.message);
      return false;
    case 'refused':
      run.out.err(linked.message);
      return false;
    case 'unprotected':
      run.out.err(linked.message);
      if (linked.fatal) {
        // The new name shares an entry that now lacks its flag: take the name out again, then stop.
        try {
          unlinkAt(destFd, action.name);
        } catch {
          // the journal names the entry; the next run repairs it
        }
        throw new CloneStoppedError();
      }
      return false;
  }
}

/** A further name of a file copied before: linked to that copy (as `cp -a` keeps hard links). */
function linkFirstName(run: CloneRun, action: Extract<CloneAction, { kind: 'hardlink' }>, destFd: number, rootFd: number): boolean {
  const parts = splitPath(action.first);
  const last = parts.pop();
  if (last === undefined) return false;
  const opened: number[] = [];
  try {
    let dirFd = rootFd;
    for (const part of parts) {
      dirFd = openAt(dirFd, part, O_PATH | O_DIRECTORY | O_NOFOLLOW);
      opened.push(dirFd);
    }
    const first = lstatAt(dirFd, last);
    if (!first.isFile()) return false;
    linkAt(dirFd, last, destFd, action.name);
    run.stats.hardLinked += 1;
    return true;
  } catch {
    return false; // the first name could not be cloned: this one is copied
  } finally {
    for (const fd of opened) closeFd(fd);
  }
}

function copyFile(run: CloneRun, action: At | Extract<CloneAction, { kind: 'link' | 'hardlink' }>, destFd: number): void {
  let src: number;
  try {
    src = openGuestFile(action.dir.fd, action.name);
  } catch (error) {
    fail(run, action.path, `open(): ${formatErrno(error)}`);
    return;
  }
  try {
    const stat = fstatFd(src);
    if (stat.dev !== action.stat.dev || stat.ino !== action.stat.ino) {
      fail(run, action.path, 'it changed while the tree was cloned');
      return;
    }
    const made = writeCopy(src, stat, destFd, () => action.name, PRIVATE_COPY);
    if (!made.ok) {
      fail(run, action.path, made.changed === true ? 'it changed while it was copied' : (made.message ?? '').trimEnd());
      return;
    }
    run.stats.copied += 1;
    run.stats.copiedBytes += stat.size;
    emit(run, 'copying', action.path);
  } finally {
    closeFd(src);
  }
}

function countPlanned(stats: CloneStats, action: CloneAction): void {
  switch (action.kind) {
    case 'enter': stats.directories += 1; break;
    case 'mount-point': stats.directories += 1; stats.mountPoints += 1; break;
    case 'link': stats.linked += 1; break;
    case 'hardlink': stats.hardLinked += 1; break;
    case 'copy': stats.copied += 1; stats.copiedBytes += action.stat.size; break;
    case 'symlink': stats.symlinks += 1; break;
    case 'special': stats.special += 1; break;
    case 'failed': stats.failures += 1; break;
    case 'leave': break;
  }
}

function attempt(run: CloneRun, path: Buffer, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    fail(run, path, formatErrno(error));
  }
}

function fail(run: CloneRun, path: Buffer, why: string): void {
  run.stats.failures += 1;
  run.out.err(Buffer.concat([Buffer.from("vhashify: '"), path, Buffer.from(`' was not cloned: ${why}\n`)]));
}

function emit(run: CloneRun, kind: 'linking' | 'copying', path: Buffer): void {
  const line = formatCloneLine(kind, path, run.verbosity);
  if (line !== undefined) run.out.out(line);
}

function splitPath(path: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 1;
  for (let i = 1; i <= path.length; i += 1) {
    if (i === path.length || path[i] === 0x2f) {
      if (i > start) parts.push(path.subarray(start, i));
      start = i + 1;
    }
  }
  return parts;
}
