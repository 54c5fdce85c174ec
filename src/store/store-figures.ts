// What a storage root holds, for `--overview`: entries, their bytes, the ones no guest links any
// more, the ones that lack the protection in force, and what sharing them saves. One lstat per
// entry inode; no content is read.
import { STATX_ATTR_IMMUTABLE } from '../sys/constants.js';
import { lstatAtIfExists, type FileStat } from '../sys/file-stat.js';
import { isTempName } from '../unify/temp-name.js';
import { isPlaceholder } from './plan-garbage.js';
import type { StoreInventory } from './store-inventory.js';
import { TEMP_DIR_NAME } from './temp-dir.js';

/** The figures of one root (or, added up, of a store). Bytes: allocated (st_blocks × 512) unless said. */
export interface StoreFigures {
  /** Entry names (an inode with two names counts twice; placeholders excluded). */
  entries: number;
  /** Distinct entry inodes. */
  inodes: number;
  allocatedBytes: bigint;
  apparentBytes: bigint;
  /** Entry inodes no guest links (every link is a store name). */
  orphans: number;
  orphanBytes: bigint;
  /** Linked entries without the immutable flag while the policy asks for it. */
  unprotected: number;
  /** Empty 0200 placeholders and `;XXXXXX` temporaries of crashed runs (`--gc` removes them). */
  leftovers: number;
  /** Names that are neither entries nor our leftovers. */
  strays: number;
  /** What the guests' links to the entries save: each inode with k guest links saves k − 1 copies. */
  savedBytes: bigint;
  pageCacheSharedBytes: bigint;
}

/** All zero. */
export function createStoreFigures(): StoreFigures {
  return {
    entries: 0, inodes: 0, allocatedBytes: 0n, apparentBytes: 0n, orphans: 0, orphanBytes: 0n, unprotected: 0, leftovers: 0, strays: 0,
    savedBytes: 0n, pageCacheSharedBytes: 0n,
  };
}

/** Adds `b` into `a` (a store's roots). */
export function addStoreFigures(a: StoreFigures, b: StoreFigures): void {
  const sum = a as unknown as Record<string, number | bigint>;
  for (const [key, value] of Object.entries(b) as Array<[string, number | bigint]>) {
    const now = sum[key]!;
    sum[key] = typeof now === 'bigint' ? now + (value as bigint) : now + (value as number);
  }
}

/** Measures one root from its inventory; `flagged`: the policy puts the immutable flag on shared entries. */
export function measureStoreRoot(rootFd: number, inventory: StoreInventory, flagged: boolean): StoreFigures {
  const figures = createStoreFigures();
  const seen = new Set<bigint>();
  for (const entry of inventory.entries) {
    if (seen.has(entry.ino)) {
      figures.entries += 1;
      continue;
    }
    seen.add(entry.ino);
    const stat = lstatQuietly(rootFd, entry.name);
    if (stat === undefined || !stat.isFile()) continue;
    if (isPlaceholder(stat)) {
      figures.leftovers += 1;
      continue;
    }
    figures.entries += 1;
    addEntryInode(figures, stat, BigInt(inventory.namesOf(entry.ino)?.length ?? 1), flagged);
  }
  for (const other of inventory.others) {
    if (other.equals(TEMP_DIR_NAME) || isTempName(other.subarray(other.lastIndexOf(0x2f) + 1))) figures.leftovers += 1;
    else figures.strays += 1;
  }
  return figures;
}

function addEntryInode(figures: StoreFigures, stat: FileStat, storeNames: bigint, flagged: boolean): void {
  const allocated = stat.blocks * 512n;
  figures.inodes += 1;
  figures.allocatedBytes += allocated;
  figures.apparentBytes += stat.size;
  const guestLinks = stat.nlink > storeNames ? stat.nlink - storeNames : 0n;
  if (guestLinks === 0n) {
    figures.orphans += 1;
    figures.orphanBytes += allocated;
    return;
  }
  if (flagged && (stat.attributes & STATX_ATTR_IMMUTABLE) === 0) figures.unprotected += 1;
  figures.savedBytes += (guestLinks - 1n) * allocated;
  figures.pageCacheSharedBytes += (guestLinks - 1n) * stat.size;
}

function lstatQuietly(rootFd: number, name: Buffer): FileStat | undefined {
  try {
    return lstatAtIfExists(rootFd, name);
  } catch {
    return undefined;
  }
}
