// What a tree holds, path by path, so a test can say exactly what a run (or a kill) changed.
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readlinkSync, readdirSync, type BigIntStats } from 'node:fs';

/** One path below the root: its type, attributes, identity and (files) content digest. */
export interface PathInfo {
  type: 'dir' | 'file' | 'symlink' | 'other';
  mode: bigint;
  uid: bigint;
  gid: bigint;
  size: bigint;
  mtimeSec: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  dev: bigint;
  ino: bigint;
  nlink: bigint;
  /** SHA-256 hex of a file's content; a symlink's target; '' otherwise. */
  content: string;
}

/** Paths (relative, raw bytes as latin1 text, no leading `/`) to what they held. */
export type TreeSnapshot = Map<string, PathInfo>;

function describeType(st: BigIntStats): PathInfo['type'] {
  if (st.isDirectory()) return 'dir';
  if (st.isFile()) return 'file';
  if (st.isSymbolicLink()) return 'symlink';
  return 'other';
}

function floorSeconds(ns: bigint): bigint {
  const q = ns / 1_000_000_000n;
  return ns < 0n && q * 1_000_000_000n !== ns ? q - 1n : q;
}

/** Content digests by `dev:ino:ctime:size`: an inode's content cannot change without its ctime changing. */
export type ContentCache = Map<string, string>;

function formatCacheKey(st: BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.ctimeNs}:${st.size}`;
}

/** lstat plus content digest of one path; a file already in `cache` is not read again. */
export function readPathInfo(path: Buffer, cache: ContentCache = new Map()): PathInfo {
  const st = lstatSync(path, { bigint: true });
  const type = describeType(st);
  let content = '';
  if (type === 'file') {
    const key = formatCacheKey(st);
    content = cache.get(key) ?? createHash('sha256').update(readFileSync(path)).digest('hex');
    cache.set(key, content);
  }
  if (type === 'symlink') content = readlinkSync(path, { encoding: 'buffer' }).toString('latin1');
  return {
    type, mode: st.mode, uid: st.uid, gid: st.gid, size: st.size, mtimeSec: floorSeconds(st.mtimeNs), mtimeNs: st.mtimeNs,
    ctimeNs: st.ctimeNs, dev: st.dev, ino: st.ino, nlink: st.nlink, content,
  };
}

/**
 * Every path below `root` (the root itself excluded), walked with raw byte names. Inodes seen in
 * `previous` (an earlier snapshot of the same file system) with an unchanged ctime are not read again.
 * `skipTemps`: leave out `name;XXXXXX` names (a run still going may create and remove them any time).
 */
export function readTreeSnapshot(root: string | Buffer, previous?: TreeSnapshot, skipTemps = false): TreeSnapshot {
  const cache: ContentCache = new Map();
  for (const info of previous?.values() ?? []) {
    if (info.type === 'file') cache.set(`${info.dev}:${info.ino}:${info.ctimeNs}:${info.size}`, info.content);
  }
  const snapshot: TreeSnapshot = new Map();
  const base = Buffer.isBuffer(root) ? root : Buffer.from(root);
  const walk = (abs: Buffer, rel: string): void => {
    for (const name of readdirSync(abs, { encoding: 'buffer' })) {
      const childAbs = Buffer.concat([abs, Buffer.from('/'), name]);
      const childRel = rel === '' ? name.toString('latin1') : `${rel}/${name.toString('latin1')}`;
      if (skipTemps && isTempPath(childRel)) continue;
      const info = readPathInfo(childAbs, cache);
      snapshot.set(childRel, info);
      if (info.type === 'dir') walk(childAbs, childRel);
    }
  };
  walk(base, '');
  return snapshot;
}

/** The bytes of a snapshot key, for building real paths again. */
export function formatSnapshotPath(root: string, key: string): Buffer {
  return Buffer.concat([Buffer.from(`${root}/`), Buffer.from(key, 'latin1')]);
}

/**
 * Differences that mean a guest path lost what it had: missing, another type, or (non-directories)
 * other content, mode, owner, size or whole-second mtime. Inode changes are allowed (that is what
 * hashify does); directory mtimes are allowed to change (temporaries come and go).
 */
export function findLostPaths(before: TreeSnapshot, after: TreeSnapshot): string[] {
  const problems: string[] = [];
  for (const [path, b] of before) {
    const a = after.get(path);
    if (a === undefined) {
      problems.push(`${JSON.stringify(path)} is missing`);
      continue;
    }
    const fields: Array<keyof PathInfo> = b.type === 'dir' ? ['type', 'mode', 'uid', 'gid'] : ['type', 'mode', 'uid', 'gid', 'size', 'mtimeSec', 'content'];
    for (const field of fields) {
      if (a[field] !== b[field]) problems.push(`${JSON.stringify(path)}: ${field} ${String(b[field])} -> ${String(a[field])}`);
    }
  }
  return problems;
}

/** Paths present in `after` but not in `before`. */
export function findNewPaths(before: TreeSnapshot, after: TreeSnapshot): string[] {
  return [...after.keys()].filter((path) => !before.has(path));
}

/**
 * The sharing structure: the groups of paths that are one inode (two or more names), each group
 * sorted, the list sorted. Independent of inode numbers, so two copies of a tree can be compared.
 */
export function computeSharingGroups(snapshot: TreeSnapshot): string[][] {
  const byInode = new Map<string, string[]>();
  for (const [path, info] of snapshot) {
    if (info.type === 'dir') continue;
    const key = `${info.dev}:${info.ino}`;
    const group = byInode.get(key);
    if (group === undefined) byInode.set(key, [path]);
    else group.push(path);
  }
  return [...byInode.values()].filter((g) => g.length > 1).map((g) => g.sort()).sort((x, y) => (x[0]! < y[0]! ? -1 : 1));
}

/** The last path component is upstream's temporary form `name;XXXXXX`. */
export function isTempPath(path: string): boolean {
  return /;[A-Za-z0-9]{6}$/.test(path) && path.slice(path.lastIndexOf('/') + 1).length >= 8;
}
