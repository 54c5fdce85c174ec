// Depth-first, pre-order traversal in raw readdir order, yielding every entry upstream would visit.
import { lstatSync, type BigIntStats } from 'node:fs';
import type { MatchDecision } from '../exclude/match-list.js';
import { childPath, openChildDir, readNames, releaseDir, retainDir, type DirHandle } from './dir-handle.js';
import { joinGuestPath } from './guest-path.js';

/** One directory entry as the walk saw it. Directories themselves are entered, not yielded. */
export type WalkItem =
  | { kind: 'dotfile'; path: Buffer }
  | { kind: 'excluded'; path: Buffer; decision: MatchDecision }
  | { kind: 'lstat-failed'; path: Buffer; error: NodeJS.ErrnoException }
  /** A non-directory entry; `dir` is retained for the consumer, who must release it. */
  | { kind: 'entry'; dir: DirHandle; name: Buffer; path: Buffer; stat: BigIntStats }
  /** A directory that could not be entered (unreadable, or swapped by a guest mid-run). */
  | { kind: 'dir-failed'; path: Buffer; error: NodeJS.ErrnoException };

/** Decides per guest path whether to look at it at all (the exclude list). */
export type DecidePath = (path: Buffer) => MatchDecision;

const DOT = Buffer.from('.');
const DOTDOT = Buffer.from('..');

/**
 * Walks the tree below an open root directory. `.` and `..` are reported first in every directory:
 * opendir hides them and the common filesystems return them first (spec 7.4, QUIRK Q26 note).
 */
export function* walkTree(root: DirHandle, rootPath: Buffer, decide: DecidePath): Generator<WalkItem> {
  yield* walkDir(root, rootPath, decide);
}

function* walkDir(dir: DirHandle, dirPath: Buffer, decide: DecidePath): Generator<WalkItem> {
  let names: Buffer[];
  try {
    names = readNames(dir);
  } catch (error) {
    yield { kind: 'dir-failed', path: dirPath, error: error as NodeJS.ErrnoException };
    return;
  }
  yield { kind: 'dotfile', path: joinGuestPath(dirPath, DOT) };
  yield { kind: 'dotfile', path: joinGuestPath(dirPath, DOTDOT) };
  for (const name of names) {
    const path = joinGuestPath(dirPath, name);
    const decision = decide(path);
    if (decision.verdict !== 'include') {
      yield { kind: 'excluded', path, decision };
      continue;
    }
    let stat: BigIntStats;
    try {
      stat = lstatSync(childPath(dir, name), { bigint: true });
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
