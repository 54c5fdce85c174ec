// Measures what the demo saved: allocated blocks of unique inodes, and which guest files are entries.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Disk usage of a tree, each inode counted once however many names it has. */
export interface DiskUsage {
  /** st_blocks × 512 summed over unique inodes (what the file system really allocated). */
  bytes: bigint;
  inodes: number;
}

/** Each path below `dir` (itself included), depth first; symlinks are listed, never followed. */
export function* walkPaths(dir: string): Generator<string> {
  yield dir;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walkPaths(path);
    else yield path;
  }
}

function formatInodeKey(dev: bigint, ino: bigint): string {
  return `${dev}:${ino}`;
}

/** Sums the blocks of every inode below `dir`, once per inode. */
export function computeDiskUsage(dir: string): DiskUsage {
  const seen = new Set<string>();
  let bytes = 0n;
  for (const path of walkPaths(dir)) {
    const st = lstatSync(path, { bigint: true });
    const key = formatInodeKey(st.dev, st.ino);
    if (seen.has(key)) continue;
    seen.add(key);
    bytes += st.blocks * 512n;
  }
  return { bytes, inodes: seen.size };
}

/** The inodes of the regular files below a storage root: the store's entries. */
export function findEntryInodes(store: string): Set<string> {
  const entries = new Set<string>();
  for (const path of walkPaths(store)) {
    const st = lstatSync(path, { bigint: true });
    if (st.isFile()) entries.add(formatInodeKey(st.dev, st.ino));
  }
  return entries;
}

/** How many of a guest's regular files there are, and how many are store entries now. */
export function countLinkedFiles(guest: string, entryInodes: ReadonlySet<string>): { files: number; linked: number } {
  let files = 0;
  let linked = 0;
  for (const path of walkPaths(guest)) {
    const st = lstatSync(path, { bigint: true });
    if (!st.isFile()) continue;
    files += 1;
    if (entryInodes.has(formatInodeKey(st.dev, st.ino))) linked += 1;
  }
  return { files, linked };
}

/** How many inodes of regular files appear in both trees (files the two guests now share). */
export function countSharedInodes(a: string, b: string): number {
  const inodesOf = (dir: string): Set<string> => {
    const keys = new Set<string>();
    for (const path of walkPaths(dir)) {
      const st = lstatSync(path, { bigint: true });
      if (st.isFile()) keys.add(formatInodeKey(st.dev, st.ino));
    }
    return keys;
  };
  const inB = inodesOf(b);
  return [...inodesOf(a)].filter((key) => inB.has(key)).length;
}
