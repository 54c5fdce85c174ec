// Directories held open by descriptor, so no name inside a guest is ever resolved from its root again.
import { AT_FDCWD, O_DIRECTORY, O_NOFOLLOW, O_RDONLY } from '../sys/constants.js';
import { readDirEntries, type DirEntry } from '../sys/dir-entries.js';
import { fstatFd } from '../sys/file-stat.js';
import { closeFd, openAt } from '../sys/open-at.js';

/**
 * An open directory. Everything inside it is reached relative to its descriptor (openat, statx,
 * linkat, renameat2…), so a guest that swaps a parent directory for a symlink mid-run cannot
 * redirect us: the kernel never resolves the path above this directory again.
 */
export interface DirHandle {
  readonly fd: number;
  readonly dev: bigint;
  readonly ino: bigint;
  refs: number;
}

const DIR_FLAGS = O_RDONLY | O_DIRECTORY;

function wrap(fd: number): DirHandle {
  const st = fstatFd(fd);
  return { fd, dev: st.dev, ino: st.ino, refs: 1 };
}

/** Opens the tree's root. The root path comes from the admin, so symlinks in it are followed (vdir is one). */
export function openRootDir(path: Buffer | string): DirHandle {
  return wrap(openAt(AT_FDCWD, Buffer.from(path), DIR_FLAGS));
}

/** Thrown when a directory is no longer the one that was classified (a guest raced us). */
export class DirChangedError extends Error {
  readonly code = 'EINVAL';
  constructor() {
    super('directory changed between lstat and open');
  }
}

/**
 * Opens a subdirectory without following a symlink, and checks it is the very directory that
 * lstat reported (upstream's safeChdir check: same device and inode).
 */
export function openChildDir(parent: DirHandle, name: Buffer, expected: { dev: bigint; ino: bigint }): DirHandle {
  const fd = openAt(parent.fd, name, DIR_FLAGS | O_NOFOLLOW);
  let handle: DirHandle;
  try {
    handle = wrap(fd);
  } catch (error) {
    closeFd(fd);
    throw error;
  }
  if (handle.dev !== expected.dev || handle.ino !== expected.ino) {
    closeFd(fd);
    throw new DirChangedError();
  }
  return handle;
}

/**
 * The directory's entries in raw kernel order, `.` and `..` where the file system puts them (what
 * upstream visits and prints at -v6). Read completely before any entry is processed, so our own
 * temporary names never show up.
 */
export function readEntries(dir: DirHandle): DirEntry[] {
  return readDirEntries(dir.fd);
}

/** Takes one more reference (an entry still to be committed needs its directory). */
export function retainDir(dir: DirHandle): DirHandle {
  dir.refs += 1;
  return dir;
}

/** Drops a reference; the descriptor is closed with the last one. */
export function releaseDir(dir: DirHandle): void {
  dir.refs -= 1;
  if (dir.refs === 0) closeFd(dir.fd);
}
