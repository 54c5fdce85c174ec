// Directories held open by descriptor, so no name inside a guest is ever resolved from its root again.
import { closeSync, constants, fstatSync, openSync, opendirSync, type BigIntStats } from 'node:fs';

/**
 * An open directory. Everything inside it is reached as `/proc/self/fd/<fd>/<name>`: the kernel
 * resolves that prefix to exactly this directory, so a guest that swaps a parent directory for a
 * symlink mid-run cannot redirect us (Node has no openat/linkat; this is the equivalent).
 */
export interface DirHandle {
  readonly fd: number;
  /** `/proc/self/fd/<fd>/` as bytes: prepend to a name to act on it inside this directory. */
  readonly prefix: Buffer;
  readonly dev: bigint;
  readonly ino: bigint;
  refs: number;
}

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY;

function wrap(fd: number): DirHandle {
  const st = fstatSync(fd, { bigint: true });
  return { fd, prefix: Buffer.from(`/proc/self/fd/${fd}/`), dev: st.dev, ino: st.ino, refs: 1 };
}

/** Opens the tree's root. The root path comes from the admin, so symlinks in it are followed (vdir is one). */
export function openRootDir(path: Buffer | string): DirHandle {
  return wrap(openSync(path, DIR_FLAGS));
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
export function openChildDir(parent: DirHandle, name: Buffer, expected: BigIntStats): DirHandle {
  const fd = openSync(childPath(parent, name), DIR_FLAGS | constants.O_NOFOLLOW);
  const handle = wrap(fd);
  if (handle.dev !== expected.dev || handle.ino !== expected.ino) {
    closeSync(fd);
    throw new DirChangedError();
  }
  return handle;
}

/** The path that names `name` inside the open directory. */
export function childPath(dir: DirHandle, name: Buffer): Buffer {
  return Buffer.concat([dir.prefix, name]);
}

/**
 * The directory's names in raw readdir order (what upstream visits), without `.` and `..`.
 * Read completely before any entry is processed, so our own temporary names never show up.
 */
export function readNames(dir: DirHandle): Buffer[] {
  const stream = opendirSync(dir.prefix.subarray(0, dir.prefix.length - 1), {
    encoding: 'buffer' as BufferEncoding,
    bufferSize: 1024,
  });
  const names: Buffer[] = [];
  try {
    for (let ent = stream.readSync(); ent !== null; ent = stream.readSync()) {
      names.push(ent.name as unknown as Buffer);
    }
  } finally {
    stream.closeSync();
  }
  return names;
}

/** Takes one more reference (an entry still to be committed needs its directory). */
export function retainDir(dir: DirHandle): DirHandle {
  dir.refs += 1;
  return dir;
}

/** Drops a reference; the descriptor is closed with the last one. */
export function releaseDir(dir: DirHandle): void {
  dir.refs -= 1;
  if (dir.refs === 0) closeSync(dir.fd);
}
