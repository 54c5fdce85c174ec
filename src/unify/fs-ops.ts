// The few mutating system calls of the unify stage, behind one seam so tests can inject faults.
import { linkAt, renameAt2, unlinkAt } from '../sys/link-ops.js';

/** Mutations the replace protocol performs, each relative to an open directory. */
export interface FsOps {
  link(oldDirFd: number, oldName: Buffer, newDirFd: number, newName: Buffer): void;
  rename(oldDirFd: number, oldName: Buffer, newDirFd: number, newName: Buffer): void;
  unlink(dirFd: number, name: Buffer): void;
}

/** The real thing: linkat (never following a symlink), renameat2, unlinkat. */
export const realFsOps: FsOps = {
  link: (oldDirFd, oldName, newDirFd, newName) => linkAt(oldDirFd, oldName, newDirFd, newName),
  rename: (oldDirFd, oldName, newDirFd, newName) => renameAt2(oldDirFd, oldName, newDirFd, newName),
  unlink: (dirFd, name) => unlinkAt(dirFd, name),
};
