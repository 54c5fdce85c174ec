// Depth-first, pre-order traversal in raw readdir order, yielding every entry upstream would visit.
import type { MatchDecision } from '../exclude/match-list.js';
import { lstatAt, type FileStat } from '../sys/file-stat.js';
import { openChildDir, readEntries, releaseDir, retainDir, type DirHandle } from './dir-handle.js';
import { joinGuestPath } from './guest-path.js';

/** One directory entry as the walk saw it. Directories themselves are entered, not yielded. */
export type WalkItem =
  | { kind: 'dotfile'; path: Buffer }
  | { kind: 'excluded'; path: Buffer; decision: MatchDecision }
  | { kind: 'lstat-failed'; path: Buffer; error: NodeJS.ErrnoException }
  /** A non-directory entry; `dir` is retained for the consumer, who must release it. */
  | { kind: 'entry'; dir: DirHandle; name: Buffer; path: Buffer; stat: FileStat }
  /** A directory that could not be entered (unreadable, or swapped by a guest mid-run). */
  | { kind: 'dir-failed'; path: Buffer; error: NodeJS.ErrnoException };

/** Decides per guest path whether to look at it at all (the exclude list). */
export type DecidePath = (path: Buffer) => MatchDecision;

/**
 * The walk's lstat as a replaceable binding: the fault tests win the race between a directory's
 * lstat and its open deterministically by wrapping it (test/walk/lstat-race.ts).
 */
export const walkCalls = { lstatAt };

/** `.` and `..`: reported where the kernel lists them, never matched or looked at (spec 7.3 row 0). */
function isDotName(name: Buffer): boolean {
  return name[0] === 0x2e && (name.length === 1 || (name.length === 2 && name[1] === 0x2e));
}

/**
 * Walks the tree below an open root directory. QUIRK Q26: `.` and `..` appear wherever the file
 * system's readdir returns them (first on tmpfs and usually on ext4, not always).
 */
export function* walkTree(root: DirHandle, rootPath: Buffer, decide: DecidePath): Generator<WalkItem> {
  yield* walkDir(root, rootPath, decide);
}

function* walkDir(dir: DirHandle, dirPath: Buffer, decide: DecidePath): Generator<WalkItem> {
  let entries;
  try {
    entries = readEntries(dir);
  } catch (error) {
    yield { kind: 'dir-failed', path: dirPath, error: error as NodeJS.ErrnoException };
    return;
  }
  for (const { name } of entries) {
    const path = joinGuestPath(dirPath, name);
    if (isDotName(name)) {
      yield { kind: 'dotfile', path };
      continue;
    }
    const decision = decide(path);
    if (decision.verdict !== 'include') {
      yield { kind: 'excluded', path, decision };
      continue;
    }
    let stat: FileStat;
    try {
      stat = walkCalls.lstatAt(dir.fd, name);
    } catch (error) {
      yield { kind: 'lstat-failed', path, error: error as NodeJS.ErrnoException };
      continue;
    }
    if (stat.isDirectory()) {
      let child: DirHandle;
      try {
        child = openChildDir(dir, name, stat);
      } catch (error) {
        yield { kind: 'dir-failed', path, error: error as NodeJS.ErrnoException };
        continue;
      }
      try {
        yield* walkDir(child, path, decide);
      } finally {
        releaseDir(child);
      }
      continue;
    }
    yield { kind: 'entry', dir: retainDir(dir), name, path, stat };
  }
}
