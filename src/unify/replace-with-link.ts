// Atomically makes a name refer to another inode: link beside it, then rename over it.
import { formatErrno } from '../report/strerror.js';
import { lstatAtIfExists, type FileStat } from '../sys/file-stat.js';
import { realFsOps, type FsOps } from './fs-ops.js';
import { computeTempBase, computeTempSuffix } from './temp-name.js';

/** A name inside an open directory. */
export interface NameAt {
  dirFd: number;
  name: Buffer;
}

/** Swap `target` for a hard link to `source`. */
export interface ReplaceRequest {
  /** The inode to share (a store entry; in sledgehammer mode the guest file). */
  source: NameAt;
  target: NameAt;
  /** When given, the target must still be this inode with this size and mtime right before the swap. */
  expected?: Pick<FileStat, 'dev' | 'ino' | 'size' | 'mtimeNs'>;
}

/** Success; or nothing was changed, with the stderr line saying why ('changed': the target moved under us). */
export type ReplaceOutcome = { ok: true } | { ok: false; changed: boolean; message: string; code?: string };

const MAX_NAME_TRIES = 100;

function isSameVersion(now: FileStat, then: NonNullable<ReplaceRequest['expected']>): boolean {
  return now.dev === then.dev && now.ino === then.ino && now.size === then.size && now.mtimeNs === then.mtimeNs;
}

/**
 * IMPROVEMENT over upstream (spec 8.5): upstream renames the target away, links, then deletes the
 * temporary, so a crash in between leaves the guest path missing. Here the new link is made under
 * a temporary name `name;XXXXXX` first and renamed over the target, so at every instant the target
 * name exists with either the old or the new inode (same content and metadata). A crash can only
 * leave the temporary, an extra link the next run removes. Every name is relative to an open
 * directory: nothing a guest plants above it can redirect the calls.
 */
export function replaceWithLink(req: ReplaceRequest, ops: FsOps = realFsOps): ReplaceOutcome {
  const { dirFd, name } = req.target;
  let temp: Buffer | undefined;
  for (let attempt = 0; temp === undefined; attempt += 1) {
    const candidate = Buffer.concat([computeTempBase(name), computeTempSuffix()]);
    try {
      ops.link(req.source.dirFd, req.source.name, dirFd, candidate);
      temp = candidate;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' || attempt >= MAX_NAME_TRIES) return { ok: false, changed: false, message: `link(): ${formatErrno(error)}\n`, code };
    }
  }
  if (req.expected !== undefined) {
    let now: FileStat | undefined;
    try {
      now = lstatAtIfExists(dirFd, name);
    } catch {
      now = undefined;
    }
    if (now === undefined || !isSameVersion(now, req.expected)) {
      removeQuietly(dirFd, temp, ops);
      return { ok: false, changed: true, message: '' };
    }
  }
  try {
    ops.rename(dirFd, temp, dirFd, name);
  } catch (error) {
    removeQuietly(dirFd, temp, ops);
    return { ok: false, changed: false, message: `rename(): ${formatErrno(error)}\n`, code: (error as NodeJS.ErrnoException).code };
  }
  return { ok: true };
}

function removeQuietly(dirFd: number, name: Buffer, ops: FsOps): void {
  try {
    ops.unlink(dirFd, name);
  } catch {
    // Nothing more to do: the next run's leftover sweep finds `name;XXXXXX`.
  }
}
