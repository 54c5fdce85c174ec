// Atomically makes a name refer to another inode: link beside it, then rename over it.
import { lstatSync, type BigIntStats } from 'node:fs';
import { formatErrno } from '../report/strerror.js';
import { realFsOps, type FsOps } from './fs-ops.js';
import { computeTempBase, computeTempSuffix } from './temp-name.js';

/** Swap `dir + name` for a hard link to `source`. */
export interface ReplaceRequest {
  /** Path of the inode to share (a store entry; in sledgehammer mode the guest file). */
  source: Buffer | string;
  /** Directory prefix ending in `/` (for guests `/proc/self/fd/<fd>/`, pinning the directory). */
  dir: Buffer;
  name: Buffer;
  /** When given, the target must still be this inode with this size and mtime right before the swap. */
  expected?: BigIntStats;
}

/** Success; or nothing was changed, with the stderr line saying why ('changed': the target moved under us). */
export type ReplaceOutcome = { ok: true } | { ok: false; changed: boolean; message: string };

const MAX_NAME_TRIES = 100;

function isSameVersion(now: BigIntStats, then: BigIntStats): boolean {
  return now.dev === then.dev && now.ino === then.ino && now.size === then.size && now.mtimeNs === then.mtimeNs;
}

/**
 * IMPROVEMENT over upstream (spec 8.5): upstream renames the target away, links, then deletes the
 * temporary, so a crash in between leaves the guest path missing. Here the new link is made under
 * a temporary name `name;XXXXXX` first and renamed over the target, so at every instant the target
 * name exists with either the old or the new inode (same content and metadata). A crash can only
 * leave the temporary, an extra link the next run removes.
 */
export function replaceWithLink(req: ReplaceRequest, ops: FsOps = realFsOps): ReplaceOutcome {
  const target = Buffer.concat([req.dir, req.name]);
  let temp: Buffer | undefined;
  for (let attempt = 0; temp === undefined; attempt += 1) {
    const candidate = Buffer.concat([req.dir, computeTempBase(req.name), computeTempSuffix()]);
    try {
      ops.link(req.source, candidate);
      temp = candidate;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' || attempt >= MAX_NAME_TRIES) return { ok: false, changed: false, message: `link(): ${formatErrno(error)}\n` };
    }
  }
  if (req.expected !== undefined) {
    let now: BigIntStats | undefined;
    try {
      now = lstatSync(target, { bigint: true });
    } catch {
      now = undefined;
    }
    if (now === undefined || !isSameVersion(now, req.expected)) {
      removeQuietly(temp, ops);
      return { ok: false, changed: true, message: '' };
    }
  }
  try {
    ops.rename(temp, target);
  } catch (error) {
    removeQuietly(temp, ops);
    return { ok: false, changed: false, message: `rename(): ${formatErrno(error)}\n` };
  }
  return { ok: true };
}

function removeQuietly(path: Buffer, ops: FsOps): void {
  try {
    ops.unlink(path);
  } catch {
    // Nothing more to do: the next run's leftover sweep finds `name;XXXXXX`.
  }
}
