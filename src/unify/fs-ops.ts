// The few mutating system calls of the unify stage, behind one seam so tests can inject faults.
import { linkSync, renameSync, unlinkSync, type PathLike } from 'node:fs';

/** Mutations the replace protocol performs, in the order it performs them. */
export interface FsOps {
  link(existing: PathLike, created: PathLike): void;
  rename(from: PathLike, to: PathLike): void;
  unlink(path: PathLike): void;
}

/** The real thing. */
export const realFsOps: FsOps = {
  link: (existing, created) => linkSync(existing, created),
  rename: (from, to) => renameSync(from, to),
  unlink: (path) => unlinkSync(path),
};
