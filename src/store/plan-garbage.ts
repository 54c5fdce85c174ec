// What `--gc` takes out of a storage root: entries no guest links any more, placeholders and
// temporaries of crashed runs, and the fan-out directories that are then empty. Planning only
// looks (getdents, lstat); nothing is changed here.
import { O_DIRECTORY, O_NOFOLLOW, O_RDONLY } from '../sys/constants.js';
import { readDirEntries } from '../sys/dir-entries.js';
import { lstatAtIfExists, type FileStat } from '../sys/file-stat.js';
import { closeFd, openAt } from '../sys/open-at.js';
import { isTempName } from '../unify/temp-name.js';
import { listFanOutDirs } from './fan-out-dirs.js';
import type { StoreInventory } from './store-inventory.js';
import { TEMP_DIR_NAME } from './temp-dir.js';

/** Why a name goes (spelt as the reports print it). */
export type GarbageKind = 'orphaned entry' | 'placeholder' | 'temporary' | 'empty directory';

/** One name to remove, relative to the root; `bytes`: what it frees (allocated, once per inode). */
export interface GarbageItem {
  kind: GarbageKind;
  name: Buffer;
  bytes: bigint;
  /** For a file: how many links it may have when it goes (its store names not yet removed). */
  maxLinks?: bigint;
}

/** The plan for one root: removals in a safe order (files, then directories deepest first), and names left alone. */
export interface GarbagePlan {
  items: GarbageItem[];
  /** Names that are neither entries nor our leftovers: not ours to remove. */
  strays: Buffer[];
}

const SLASH = Buffer.from('/');

/** True for an empty 0200 file: a slot claimed by a run that never filled it (spec 6.7 step 4). */
export function isPlaceholder(stat: Pick<FileStat, 'size' | 'mode' | 'isFile'>): boolean {
  return stat.isFile() && stat.size === 0n && (stat.mode & 0o7777n) === 0o200n;
}

/**
 * Plans the collection of one root from its inventory. An inode whose every link is a store name
 * (usually: link count 1) is linked by no guest. Only valid while the store lock is held: then no
 * run is about to link to an entry, fill a placeholder or rename a temporary.
 */
export function planGarbage(rootFd: number, inventory: StoreInventory): GarbagePlan {
  const items: GarbageItem[] = [];
  const strays: Buffer[] = [];
  const seen = new Set<bigint>();
  for (const entry of inventory.entries) {
    if (seen.has(entry.ino)) continue;
    seen.add(entry.ino);
    const names = inventory.namesOf(entry.ino) ?? [entry.name];
    const stat = lstatQuietly(rootFd, entry.name);
    if (stat === undefined || !stat.isFile() || stat.ino !== entry.ino || stat.nlink > BigInt(names.length)) continue;
    const kind: GarbageKind = isPlaceholder(stat) ? 'placeholder' : 'orphaned entry';
    names.forEach((name, index) => items.push({ kind, name, bytes: index === 0 ? stat.blocks * 512n : 0n, maxLinks: BigInt(names.length - index) }));
  }
  for (const other of inventory.others) {
    if (other.equals(TEMP_DIR_NAME)) items.push(...planTempDir(rootFd, strays));
    else if (isFanOutLeaf(other) && isTempName(baseName(other))) items.push(planTemporary(rootFd, other));
    else strays.push(other);
  }
  items.push(...planEmptyDirs(rootFd, inventory, items));
  return { items, strays };
}

function planTemporary(rootFd: number, name: Buffer): GarbageItem {
  const stat = lstatQuietly(rootFd, name);
  // A link of a guest file (a crashed --sledgehammer link) frees nothing: the guest keeps it.
  const bytes = stat !== undefined && stat.nlink === 1n ? stat.blocks * 512n : 0n;
  return { kind: 'temporary', name, bytes };
}

/** The copies in the root's `.vhashify-tmp` (only a run holding the lock writes there), then the directory. */
function planTempDir(rootFd: number, strays: Buffer[]): GarbageItem[] {
  let fd: number;
  try {
    fd = openAt(rootFd, TEMP_DIR_NAME, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  } catch {
    strays.push(TEMP_DIR_NAME); // not a directory: someone else's
    return [];
  }
  const items: GarbageItem[] = [];
  let kept = 0;
  try {
    for (const { name } of readDirEntries(fd)) {
      if (name.equals(Buffer.from('.')) || name.equals(Buffer.from('..'))) continue;
      const full = Buffer.concat([TEMP_DIR_NAME, SLASH, name]);
      const stat = lstatQuietly(rootFd, full);
      if (stat?.isFile() === true) items.push(planTemporary(rootFd, full));
      else {
        strays.push(full);
        kept += 1;
      }
    }
  } finally {
    closeFd(fd);
  }
  if (kept === 0) items.push({ kind: 'empty directory', name: TEMP_DIR_NAME, bytes: 0n });
  return items;
}

/** Fan-out directories that hold nothing once the planned names are gone: each `xx/yy` before its `xx`. */
function planEmptyDirs(rootFd: number, inventory: StoreInventory, removed: readonly GarbageItem[]): GarbageItem[] {
  const remaining = new Map<string, number>();
  const dirs = listFanOutDirs(rootFd);
  for (const dir of dirs) remaining.set(dir.toString('latin1'), 0);
  const count = (name: Buffer, delta: number): void => {
    const parent = parentOf(name);
    if (parent === undefined) return;
    const key = parent.toString('latin1');
    const now = remaining.get(key);
    if (now !== undefined) remaining.set(key, now + delta);
  };
  for (const entry of inventory.entries) count(entry.name, 1);
  for (const other of inventory.others) count(other, 1);
  for (const item of removed) count(item.name, -1);
  const items: GarbageItem[] = [];
  // Each `xx/yy` comes before its `xx`, which holds it: a leaf that stays keeps its parent too.
  for (const dir of dirs) {
    const key = dir.toString('latin1');
    if (remaining.get(key) === 0) items.push({ kind: 'empty directory', name: dir, bytes: 0n });
    else count(dir, 1);
  }
  return items;
}

function parentOf(name: Buffer): Buffer | undefined {
  const slash = name.lastIndexOf(0x2f);
  return slash < 0 ? undefined : name.subarray(0, slash);
}

function baseName(name: Buffer): Buffer {
  return name.subarray(name.lastIndexOf(0x2f) + 1);
}

/** `xx/yy/name`: a name inside a fan-out leaf (where entries and their copy temporaries live). */
function isFanOutLeaf(name: Buffer): boolean {
  return /^[0-9a-f]{2}\/[0-9a-f]{2}\/[^/]+$/.test(name.toString('latin1'));
}

function lstatQuietly(rootFd: number, name: Buffer): FileStat | undefined {
  try {
    return lstatAtIfExists(rootFd, name);
  } catch {
    return undefined;
  }
}
