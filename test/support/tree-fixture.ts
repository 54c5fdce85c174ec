// Materialises a trees.json scenario on its own tmpfs, so `${ROOT}` is an empty directory on a fresh filesystem.
import {
  chmodSync, chownSync, closeSync, existsSync, lchownSync, linkSync, mkdirSync, mkdtempSync, openSync, rmdirSync,
  symlinkSync, utimesSync, writeSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TreeEntry, TreeOp, TreeScenario } from './tree-vectors.js';
import { createBindMount, createPrivateMountTree, createTmpfsMount, removeMountTree } from './tree-mounts.js';
import { reorderEntries } from './tree-order.js';
import { formatSpawnArgument, resolveInRoot } from './tree-bytes.js';

/** A materialised scenario: its root and the tree entries that could not exist (see `findImpossibleEntries`). */
export interface TreeFixture {
  root: Buffer;
  skipped: string[];
}

/** Builds the scenario's tree on a fresh tmpfs, readdir order ascending; call `destroyFixture` in a `finally`. */
export function createFixture(scenario: Pick<TreeScenario, 'tree'>): TreeFixture {
  const root = Buffer.from(mkdtempSync(join(tmpdir(), 'vhashify-tree-')));
  try {
    return { root, skipped: materializeTree(root, scenario.tree) };
  } catch (error) {
    destroyFixture(root);
    throw error;
  }
}

/** Mounts a fresh tmpfs on the empty directory `dir` and builds `tree` in it, readdir order ascending; returns the entries left out. */
export function materializeTree(dir: Buffer, tree: readonly TreeEntry[]): string[] {
  createTmpfsMount(dir);
  createPrivateMountTree(dir);
  const skipped = buildTree(dir, tree);
  reorderEntries(dir);
  return skipped;
}

/** Creates the entries of `tree` (README "ENTRY (tree) types") in the existing directory `dir`; returns the entries left out. */
export function buildTree(dir: Buffer, tree: readonly TreeEntry[]): string[] {
  const skipped = findImpossibleEntries(tree);
  const entries = tree.filter((entry) => !skipped.includes(entry.path));
  // Descending creation order already gives ascending readdir on tmpfs; reorderEntries then makes it certain.
  const ordered = [...entries].sort((a, b) => Buffer.compare(Buffer.from(b.path), Buffer.from(a.path)));
  const byDepth = [...ordered].sort((a, b) => depthOf(a.path) - depthOf(b.path));
  for (const entry of byDepth) createEntry(dir, entry);
  for (const entry of byDepth) if (entry.type === 'hardlink') linkSync(resolveInRoot(dir, entry.target!), resolveInRoot(dir, entry.path));
  for (const entry of [...entries].reverse()) setDirectoryAttributes(dir, entry);
  for (const entry of byDepth) if (entry.type === 'bind') createBindMount(resolveInRoot(dir, entry.source!), resolveInRoot(dir, entry.path));
  return skipped;
}

/** Applies a step's `before` operations (README "OP types"): writes truncate in place, chmod keeps the inode. */
export function applyOps(root: Buffer, ops: readonly TreeOp[]): void {
  for (const op of ops) {
    const path = resolveInRoot(root, op.path);
    if (op.type === 'chmod') {
      chmodSync(path, parseMode(op.mode!) & 0o7777);
      continue;
    }
    const created = !existsSync(path);
    writeContent(path, Buffer.from(op.content_b64 ?? '', 'base64'));
    // A file created by the write gets what umask 022 gives, whatever this process's umask is.
    if (op.mode !== undefined) chmodSync(path, parseMode(op.mode) & 0o7777);
    else if (created) chmodSync(path, 0o644);
    if (op.mtime !== undefined) setMtime(path, op.mtime);
  }
}

/** Unmounts every filesystem of the fixture and removes its mount point directory; safe on half-built fixtures. */
export function destroyFixture(root: Buffer): void {
  if (!existsSync(root)) return;
  removeMountTree(root);
  rmdirSync(root);
}

/** Tree entries whose parent is listed as a non-directory: they cannot be created, and `initial_state` omits them. */
export function findImpossibleEntries(tree: readonly TreeEntry[]): string[] {
  const types = new Map(tree.map((entry) => [entry.path, entry.type]));
  return tree
    .filter((entry) => {
      const slash = entry.path.lastIndexOf('/');
      if (slash === -1) return false;
      const parentType = types.get(entry.path.slice(0, slash));
      return parentType !== undefined && parentType !== 'dir' && parentType !== 'mount';
    })
    .map((entry) => entry.path);
}

function createEntry(root: Buffer, entry: TreeEntry): void {
  const path = resolveInRoot(root, entry.path);
  switch (entry.type) {
    case 'dir':
    case 'bind':
      mkdirSync(path);
      return;
    case 'mount':
      mkdirSync(path);
      createTmpfsMount(path);
      return;
    case 'file':
      writeContent(path, Buffer.from(entry.content_b64 ?? '', 'base64'));
      // chown clears set-uid/set-gid, so the mode must come after it (README).
      chownSync(path, entry.uid!, entry.gid!);
      chmodSync(path, parseMode(entry.mode!) & 0o7777);
      setMtime(path, entry.mtime!);
      return;
    case 'symlink':
      symlinkSync(Buffer.from(entry.target!), path);
      lchownSync(path, 0, 0);
      return;
    case 'fifo':
      createFifo(path);
      chownSync(path, entry.uid!, entry.gid!);
      chmodSync(path, parseMode(entry.mode!) & 0o7777);
      return;
    case 'hardlink':
      return;
  }
}

// Directory owners and modes are set last (deepest first), so a restrictive mode never gets in the way.
function setDirectoryAttributes(root: Buffer, entry: TreeEntry): void {
  if (entry.type !== 'dir' && entry.type !== 'mount' && entry.type !== 'bind') return;
  const path = resolveInRoot(root, entry.path);
  chownSync(path, entry.uid ?? 0, entry.gid ?? 0);
  chmodSync(path, parseMode(entry.mode!) & 0o7777);
}

function writeContent(path: Buffer, content: Buffer): void {
  const fd = openSync(path, 'w', 0o644);
  try {
    for (let done = 0; done < content.length; ) done += writeSync(fd, content, done);
  } finally {
    closeSync(fd);
  }
}

// Node's utimes turns negative numbers into "now"; a Date carries negative times through.
function setMtime(path: Buffer, seconds: number): void {
  const stamp = new Date(seconds * 1000);
  utimesSync(path, stamp, stamp);
}

// Node has no mkfifo(3).
function createFifo(path: Buffer): void {
  const result = spawnSync('mkfifo', [formatSpawnArgument(path)], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`mkfifo failed: ${String(result.stderr)}`);
}

function parseMode(mode: string): number {
  return parseInt(mode, 8);
}

function depthOf(path: string): number {
  return path.split('/').length;
}
