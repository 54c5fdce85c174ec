// Makes every directory of a tmpfs fixture return its entries in ascending byte order, as the vectors were made.
import { lstatSync, mkdirSync, opendirSync, readdirSync, renameSync, rmdirSync } from 'node:fs';
import { findMountPointsBelow, moveMount } from './tree-mounts.js';
import { resolveInRoot } from './tree-bytes.js';

/** Re-creates every directory's entries in descending order so tmpfs (newest first) lists them ascending; throws otherwise. */
export function reorderEntries(root: Buffer): void {
  const mountPoints = new Set(findMountPointsBelow(root).map((path) => path.toString('latin1')));
  const visited = new Set<string>();
  const visit = (dir: Buffer): void => {
    const stat = lstatSync(dir, { bigint: true });
    const key = `${stat.dev}:${stat.ino}`;
    if (visited.has(key)) return;
    visited.add(key);
    const names = readdirSync(dir, { encoding: 'buffer' }).sort((a, b) => Buffer.compare(b, a));
    const isMounted = (name: Buffer): boolean => mountPoints.has(resolveInRoot(dir, name).toString('latin1'));
    const moveMounts = !areMountPointsLast(names, isMounted, readRawDirectoryOrder(dir));
    for (const name of names) {
      const path = resolveInRoot(dir, name);
      if (!isMounted(name)) recreateEntry(dir, path);
      else if (moveMounts) recreateMountPoint(dir, path);
    }
    for (const name of names) {
      const path = resolveInRoot(dir, name);
      if (lstatSync(path).isDirectory()) visit(path);
    }
  };
  visit(root);
  const misordered = findMisorderedDirectories(root);
  if (misordered.length > 0) {
    throw new Error(`readdir order is not ascending after reordering (is this tmpfs newest-first?): ${misordered.join(', ')}`);
  }
}

/** Directories below `root` (and `root` itself) whose raw readdir order is not ascending byte order. */
export function findMisorderedDirectories(root: Buffer): string[] {
  const misordered: string[] = [];
  const visit = (dir: Buffer): void => {
    const names = readRawDirectoryOrder(dir);
    const sorted = [...names].sort(Buffer.compare);
    if (!names.every((name, index) => name.equals(sorted[index]!))) misordered.push(dir.toString());
    for (const name of names) {
      const path = resolveInRoot(dir, name);
      if (lstatSync(path).isDirectory()) visit(path);
    }
  };
  visit(root);
  return misordered;
}

/** Entry names of one directory in the order readdir(3) returns them (fs.readdir sorts, opendir does not). */
export function readRawDirectoryOrder(dir: Buffer): Buffer[] {
  // @types/node does not admit the 'buffer' encoding for opendir, which Node supports: names come back as Buffers.
  const handle = opendirSync(dir, { encoding: 'buffer' as BufferEncoding });
  const names: Buffer[] = [];
  try {
    for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) {
      names.push(entry.name as unknown as Buffer);
    }
  } finally {
    handle.closeSync();
  }
  return names;
}

let temporaryCounter = 0;

// Re-created entries all go in front of the mount points, so the mount points can stay where they are
// when they sort after every other name and already list in ascending order (the usual case: moving a
// mount costs two `mount` processes).
function areMountPointsLast(descending: readonly Buffer[], isMounted: (name: Buffer) => boolean, raw: readonly Buffer[]): boolean {
  const ascending = [...descending].reverse();
  const firstMounted = ascending.findIndex(isMounted);
  if (firstMounted === -1) return true;
  if (!ascending.slice(firstMounted).every(isMounted)) return false;
  const rawMounted = raw.filter(isMounted);
  return rawMounted.every((name, index) => name.equals(ascending[firstMounted + index]!));
}

// A fresh directory entry is the newest one, so tmpfs lists it first.
function recreateEntry(dir: Buffer, path: Buffer): void {
  const temporary = createTemporaryName(dir);
  renameSync(path, temporary);
  renameSync(temporary, path);
}

// A mount point cannot be renamed: park its mount on a scratch directory, re-create the entry, move the mount back.
function recreateMountPoint(dir: Buffer, path: Buffer): void {
  const parking = createTemporaryName(dir);
  mkdirSync(parking);
  moveMount(path, parking);
  recreateEntry(dir, path);
  moveMount(parking, path);
  rmdirSync(parking);
}

function createTemporaryName(dir: Buffer): Buffer {
  for (;;) {
    const candidate = resolveInRoot(dir, `.reorder-${process.pid}-${temporaryCounter++}`);
    if (!isPresent(candidate)) return candidate;
  }
}

function isPresent(path: Buffer): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
