// Copy mode's heavy lifting, done ahead on a hashing thread while the main thread commits earlier files.
import { lstatSync, mkdirSync } from 'node:fs';
import { formatCounterSuffix, formatDigestPath } from '../store/entry-path.js';
import { formatCopyTempPath, writeCopy, type CopySubject } from './copy-to-store.js';

/** Where a hashing thread may write copies: the storage root the file belongs to and its temporary directory. */
export interface CopyPlan {
  rootPath: string;
  tempDir: string;
}

/**
 * Right after hashing, while the file is still open: when the store has no entry at counter 0 of
 * `digest`, the file will most likely become a new entry, so its copy is written now, on this
 * thread, into the root's temporary directory (and the entry's `xx/yy` directories are made).
 * Returns the copy's path, or undefined when nothing was prepared; the main thread still decides,
 * in traversal order, and renames the copy into the slot or removes it. Any failure here just
 * leaves the work to the main thread, which reports it as upstream would.
 */
export function prepareCopy(fd: number, subject: CopySubject, digest: Buffer, plan: CopyPlan): Buffer | undefined {
  const base = plan.rootPath + formatDigestPath(digest);
  if (lstatSync(base + formatCounterSuffix(0), { throwIfNoEntry: false }) !== undefined) return undefined;
  try {
    mkdirSync(base.slice(0, base.lastIndexOf('/')), { recursive: true, mode: 0o700 });
  } catch {
    return undefined;
  }
  const temp = formatCopyTempPath(plan.tempDir);
  return writeCopy(fd, subject, temp).ok ? temp : undefined;
}
