// What --clone does with each entry of the source tree, decided without writing anything: a store
// entry is linked, a further name of a file met before is linked to its copy, everything else is
// copied; directories on another file system are left empty (like `cp -ax`). Yields in walk order;
// the source directory an action names stays open until the next action is asked for.
import type { StoreInventory } from '../store/store-inventory.js';
import { fstatFd, lstatAt, type FileStat } from '../sys/file-stat.js';
import { openChildDir, readEntries, releaseDir, type DirHandle } from '../walk/dir-handle.js';
import { joinGuestPath } from '../walk/guest-path.js';

/** A storage root as clone sees it: which inodes are entries. */
export interface InventoriedRoot {
  dev: bigint;
  fd: number;
  /** As upstream prints it, ending in `/`. */
  path: string;
  inventory: StoreInventory;
}

/** Where an entry is in the source: its directory, name and path (from the tree's root, `/…`). */
interface At {
  dir: DirHandle;
  name: Buffer;
  path: Buffer;
  stat: FileStat;
}

/** One step of a clone, in walk order. */
export type CloneAction =
  /** A directory to create and enter; its content follows, then its `leave`. */
  | ({ kind: 'enter' } & At)
  /** The directory `dir` is complete: give the copy its attributes. The root's leave has no name. */
  | { kind: 'leave'; dir: DirHandle; stat: FileStat }
  /** A directory on another file system: created empty with the attributes seen. */
  | ({ kind: 'mount-point' } & At)
  | ({ kind: 'link'; root: InventoriedRoot; entryName: Buffer } & At)
  /** A further name of a file copied before at `first` (a path from the tree's root). */
  | ({ kind: 'hardlink'; first: Buffer } & At)
  | ({ kind: 'copy' } & At)
  | ({ kind: 'symlink' } & At)
  /** A device node, FIFO or socket. */
  | ({ kind: 'special' } & At)
  | { kind: 'failed'; path: Buffer; error: unknown };

const SLASH = Buffer.from('/');

function isDotName(name: Buffer): boolean {
  return name[0] === 0x2e && (name.length === 1 || (name.length === 2 && name[1] === 0x2e));
}

/** Plans the clone of the tree open on `source` (the caller keeps it open and releases it). */
export function* planClone(source: DirHandle, roots: readonly InventoriedRoot[]): Generator<CloneAction> {
  const firstNames = new Map<string, Buffer>();
  const rootStat = fstatFd(source.fd);
  yield* planDir(source, SLASH, rootStat.dev, roots, firstNames);
  yield { kind: 'leave', dir: source, stat: rootStat };
}

function* planDir(dir: DirHandle, dirPath: Buffer, treeDev: bigint, roots: readonly InventoriedRoot[], firstNames: Map<string, Buffer>): Generator<CloneAction> {
  let entries;
  try {
    entries = readEntries(dir);
  } catch (error) {
    yield { kind: 'failed', path: dirPath, error };
    return;
  }
  for (const { name } of entries) {
    if (isDotName(name)) continue;
    const path = joinGuestPath(dirPath, name);
    let stat: FileStat;
    try {
      stat = lstatAt(dir.fd, name);
    } catch (error) {
      yield { kind: 'failed', path, error };
      continue;
    }
    const at = { dir, name, path, stat };
    if (stat.isDirectory()) {
      if (stat.dev !== treeDev) {
        yield { kind: 'mount-point', ...at };
        continue;
      }
      let child: DirHandle;
      try {
        child = openChildDir(dir, name, stat);
      } catch (error) {
        yield { kind: 'failed', path, error };
        continue;
      }
      try {
        yield { kind: 'enter', ...at };
        yield* planDir(child, path, treeDev, roots, firstNames);
        yield { kind: 'leave', dir: child, stat };
      } finally {
        releaseDir(child);
      }
      continue;
    }
    if (stat.isSymbolicLink()) {
      yield { kind: 'symlink', ...at };
      continue;
    }
    if (!stat.isFile()) {
      yield { kind: 'special', ...at };
      continue;
    }
    if (stat.nlink < 2n) {
      yield { kind: 'copy', ...at };
      continue;
    }
    const root = roots.find((r) => r.dev === stat.dev);
    const entryNames = root?.inventory.namesOf(stat.ino);
    if (root !== undefined && entryNames !== undefined) {
      yield { kind: 'link', root, entryName: entryNames[0]!, ...at };
      continue;
    }
    const key = `${stat.dev}:${stat.ino}`;
    const first = firstNames.get(key);
    if (first !== undefined) {
      yield { kind: 'hardlink', first, ...at };
      continue;
    }
    firstNames.set(key, path);
    yield { kind: 'copy', ...at };
  }
}
