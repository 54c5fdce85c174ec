// Every name a guest tree has for some inodes (the guest paths that link a store entry). The whole
// tree is walked, excluded paths included: a name is a name, whatever the exclude list says.
import type { FileStat } from '../sys/file-stat.js';
import { releaseDir, type DirHandle } from './dir-handle.js';
import { ROOT_GUEST_PATH } from './guest-path.js';
import { walkTree } from './walk-tree.js';

/** One name of a wanted inode; `dir` stays retained for the caller, who must release it. */
export interface InodeName {
  dir: DirHandle;
  name: Buffer;
  path: Buffer;
  stat: FileStat;
}

/** The names found per inode (keyed `dev:ino`), and the directories that could not be read (their paths). */
export interface InodeNames {
  byInode: Map<string, InodeName[]>;
  failedDirs: Buffer[];
}

const INCLUDE_ALL = { verdict: 'include' } as const;

/** The key of an inode in InodeNames. */
export function formatInodeKey(dev: bigint, ino: bigint): string {
  return `${dev}:${ino}`;
}

/** Walks the tree below `root` for regular files whose inode is wanted (inode numbers per device). */
export function findInodeNames(root: DirHandle, wanted: ReadonlyMap<bigint, ReadonlySet<bigint>>): InodeNames {
  const byInode = new Map<string, InodeName[]>();
  const failedDirs: Buffer[] = [];
  for (const item of walkTree(root, ROOT_GUEST_PATH, () => INCLUDE_ALL)) {
    if (item.kind === 'dir-failed') failedDirs.push(item.path);
    if (item.kind !== 'entry') continue;
    const { stat } = item;
    if (stat.nlink < 2n || !stat.isFile() || wanted.get(stat.dev)?.has(stat.ino) !== true) {
      releaseDir(item.dir);
      continue;
    }
    const key = formatInodeKey(stat.dev, stat.ino);
    const names = byInode.get(key);
    if (names === undefined) byInode.set(key, [item]);
    else names.push(item);
  }
  return { byInode, failedDirs };
}

/** Releases the directories of found names that are not needed any more. */
export function releaseInodeNames(found: InodeNames): void {
  for (const names of found.byInode.values()) for (const n of names) releaseDir(n.dir);
  found.byInode.clear();
}
