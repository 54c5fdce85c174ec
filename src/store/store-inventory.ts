// What a storage root holds: every entry's name and inode number, read from the directory listings
// alone (getdents64 gives the inode number; nothing is stat()ed or read), for the modes that ask
// "is this guest file a store entry?" of many files at once (--overview, --unhashify, --gc, --audit).
import { DT_DIR, DT_REG, DT_UNKNOWN, O_DIRECTORY, O_NOFOLLOW, O_RDONLY } from '../sys/constants.js';
import { readDirEntries, type DirEntry } from '../sys/dir-entries.js';
import { closeFd, openAt } from '../sys/open-at.js';
import type { OpenRoot } from './entry-name.js';

/** One entry: its name relative to the root (`xx/yy/rest-NNNNNNNN`) and its inode number. */
export interface InventoryEntry {
  name: Buffer;
  ino: bigint;
}

/** The entries of one root, with a lookup by inode number. */
export interface StoreInventory {
  entries: InventoryEntry[];
  /** The entry names an inode has in the store (usually one). */
  namesOf(ino: bigint): Buffer[] | undefined;
  /** Names below the root that are not entries (leftovers, strays): relative paths. */
  others: Buffer[];
}

const HEX2 = /^[0-9a-f]{2}$/;
const ENTRY = /^[0-9a-f]+-[0-9a-f]{8}$/;

/**
 * Lists the root's `xx/yy/` fan-out and every entry in it. A name that is not a regular file of
 * the entry form (a placeholder is one; a `name;XXXXXX` copy temporary, the `.vhashify-tmp`
 * directory are not) goes to `others`. Directories are opened without following links.
 */
export function readStoreInventory(root: Pick<OpenRoot, 'fd'>): StoreInventory {
  const entries: InventoryEntry[] = [];
  const others: Buffer[] = [];
  for (const first of listNames(root.fd)) {
    if (!isDirectoryLike(first) || !HEX2.test(first.name.toString('latin1'))) {
      others.push(first.name);
      continue;
    }
    withDir(root.fd, first.name, (firstFd) => {
      for (const second of listNames(firstFd)) {
        const secondName = Buffer.concat([first.name, Buffer.from('/'), second.name]);
        if (!isDirectoryLike(second) || !HEX2.test(second.name.toString('latin1'))) {
          others.push(secondName);
          continue;
        }
        withDir(firstFd, second.name, (secondFd) => {
          for (const entry of listNames(secondFd)) {
            const name = Buffer.concat([secondName, Buffer.from('/'), entry.name]);
            if ((entry.type === DT_REG || entry.type === DT_UNKNOWN) && ENTRY.test(entry.name.toString('latin1'))) entries.push({ name, ino: entry.ino });
            else others.push(name);
          }
        });
      }
    });
  }
  const byInode = new Map<bigint, Buffer[]>();
  for (const entry of entries) {
    const names = byInode.get(entry.ino);
    if (names === undefined) byInode.set(entry.ino, [entry.name]);
    else names.push(entry.name);
  }
  return { entries, others, namesOf: (ino) => byInode.get(ino) };
}

function listNames(dirFd: number): DirEntry[] {
  return readDirEntries(dirFd).filter((e) => !(e.name.length <= 2 && e.name.every((c) => c === 0x2e)));
}

function isDirectoryLike(entry: DirEntry): boolean {
  return entry.type === DT_DIR || entry.type === DT_UNKNOWN;
}

function withDir(parentFd: number, name: Buffer, fn: (fd: number) => void): void {
  let fd: number;
  try {
    fd = openAt(parentFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  } catch {
    return; // not a directory after all (DT_UNKNOWN), or gone
  }
  try {
    fn(fd);
  } finally {
    closeFd(fd);
  }
}
