// A util-vserver installation with a store and hashified guests, for the guest administration
// modes (--unhashify, --unshared, --clone): the guests and the store on the same file system (the
// sandbox's own, ext4 here), every run pointed at the sandbox and its own cache directory.
import { spawnSync } from 'node:child_process';
import { chownSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, utimesSync, writeFileSync, chmodSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/report/output.js';
import { O_NOFOLLOW, O_RDONLY } from '../../src/sys/constants.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { AT_FDCWD } from '../../src/sys/constants.js';
import { getXattr, listXattrs } from '../../src/sys/xattrs.js';
import { createSandboxInstallation, type SandboxInstallation } from '../config/sandbox-installation.js';

/** The sandbox: an installation whose guests share the store `vservers/.hash`. */
export interface AdminSite {
  box: SandboxInstallation;
  /** `vservers/.hash`, the one storage root (via `.defaults/apps/vunify/hash/root`). */
  store: string;
  cache: string;
  /** What a spawned product needs in its environment. */
  env: Record<string, string>;
  /** A guest with these files (content, or [content, meta]); returns its root. */
  addGuest(name: string, files: Record<string, string | [string, FileMeta]>): string;
  /** `vhashify ARGS…` in this process; stdout and stderr captured. */
  run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  remove(): void;
}

/** Owner, mode and modification time of a file to create. */
export interface FileMeta {
  uid?: number;
  gid?: number;
  mode?: number;
  mtime?: Date;
}

const DEFAULT_META: Required<FileMeta> = { uid: 0, gid: 0, mode: 0o644, mtime: new Date(1_500_000_000_000) };

/** A sandbox with `protect` as the store's policy and an empty exclude list for every guest. */
export function createAdminSite(protect: 'immutable' | 'none', label = 'admin'): AdminSite {
  const box = createSandboxInstallation(`vhashify-${label}-`);
  const store = box.mkdir('vservers/.hash');
  const hash = box.mkdir('etc/vservers/.defaults/apps/vunify/hash');
  symlinkSync(store, join(hash, 'root'));
  box.write('etc/vservers/.defaults/apps/vunify/hash/protect', `${protect}\n`);
  box.write('etc/vservers/.defaults/apps/vunify/exclude', '');
  box.write('etc/vservers/.defaults/apps/vunify/pkgmgmt-ignore', '');
  const cache = box.mkdir('cache');
  const env = { UTIL_VSERVER_VARS: box.varsFile, VHASHIFY_CACHE_DIR: cache, VHASHIFY_HINTS: '0' };
  return {
    box,
    store,
    cache,
    env,
    addGuest(name, files) {
      const { root } = box.addGuest(name);
      for (const [path, spec] of Object.entries(files)) {
        const [content, meta] = typeof spec === 'string' ? [spec, {}] : spec;
        writeWithMeta(join(root, path), content, { ...DEFAULT_META, ...meta });
      }
      return root;
    },
    async run(args) {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      const out: Output = { out: (t) => stdout.push(Buffer.from(t)), err: (t) => stderr.push(Buffer.from(t)), flush: () => undefined };
      const code = await main([...args], { argv0: 'vhashify', cwd: box.top, env: { ...env }, out });
      return { code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() };
    },
    remove() {
      spawnSync('chattr', ['-R', '-i', box.top], { stdio: 'ignore' });
      box.remove();
    },
  };
}

function writeWithMeta(path: string, content: string, meta: Required<FileMeta>): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  chownSync(path, meta.uid, meta.gid);
  chmodSync(path, meta.mode);
  utimesSync(path, meta.mtime, meta.mtime);
}

/** One path of a tree as the acceptance compares it. */
export interface PathState {
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  uid: number;
  gid: number;
  /** Files and symlinks (a directory's moves whenever a name in it changes). */
  mtimeNs?: bigint;
  sha256?: string;
  target?: string;
  /** `name=hex` of every extended attribute, sorted (files and directories). */
  xattrs?: string[];
  ino: bigint;
  nlink: bigint;
}

/** Every path below `root` (relative, sorted) with its state. */
export function snapshotTree(root: string): Map<string, PathState> {
  const states = new Map<string, PathState>();
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const full = join(root, path);
      const st = lstatSync(full, { bigint: true });
      const base = { mode: Number(st.mode & 0o7777n), uid: Number(st.uid), gid: Number(st.gid), ino: st.ino, nlink: st.nlink };
      if (st.isDirectory()) {
        states.set(path, { type: 'dir', ...base, xattrs: readXattrs(full) });
        walk(path);
      } else if (st.isSymbolicLink()) {
        states.set(path, { type: 'symlink', ...base, mtimeNs: st.mtimeNs, target: readlinkSync(full) });
      } else if (st.isFile()) {
        const sha256 = createHash('sha256').update(readFileSync(full)).digest('hex');
        states.set(path, { type: 'file', ...base, mtimeNs: st.mtimeNs, sha256, xattrs: readXattrs(full) });
      } else {
        states.set(path, { type: 'other', ...base, mtimeNs: st.mtimeNs });
      }
    }
  };
  walk('');
  return states;
}

function readXattrs(path: string): string[] {
  const fd = openAt(AT_FDCWD, Buffer.from(path), O_RDONLY | O_NOFOLLOW);
  try {
    return listXattrs(fd).map((name) => `${name.toString()}=${getXattr(fd, name)?.toString('hex') ?? ''}`).sort();
  } finally {
    closeFd(fd);
  }
}

/** The state without what a hashify/unhashify round trip may change: inode, link count (and mtime when asked). */
export function describeContent(state: PathState, withMtime = true): Omit<PathState, 'ino' | 'nlink'> {
  const { ino: _ino, nlink: _nlink, ...rest } = state;
  void _ino;
  void _nlink;
  if (!withMtime) delete rest.mtimeNs;
  return rest;
}

/** The inode numbers of every store entry (an independent count: a plain directory walk). */
export function listStoreInodes(store: string): Set<bigint> {
  const inodes = new Set<bigint>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      const st = lstatSync(full, { bigint: true });
      if (st.isDirectory()) walk(full);
      else if (st.isFile() && /^[0-9a-f]+-[0-9a-f]{8}$/.test(name)) inodes.add(st.ino);
    }
  };
  walk(store);
  return inodes;
}

/** Regular files of `root` whose inode is a store entry (relative paths). */
export function listLinkedFiles(root: string, store: string): string[] {
  const inodes = listStoreInodes(store);
  return [...snapshotTree(root)].filter(([, s]) => s.type === 'file' && inodes.has(s.ino)).map(([path]) => path);
}

/** Whether the immutable flag (lsattr's `i`) is set on a path. */
export function hasImmutableFlag(path: string): boolean {
  const result = spawnSync('lsattr', ['-d', path], { encoding: 'utf8' });
  return /^\S*i\S*\s/.test(result.stdout);
}
