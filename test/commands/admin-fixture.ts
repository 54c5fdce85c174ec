// Sandbox guests for the store administration modes: a util-vserver installation (test/config's
// sandbox) with guests that share files, one store for all of them, and independent counts of what
// the product should report (node:fs only, nothing from src/).
import { spawnSync } from 'node:child_process';
import { chmodSync, linkSync, lstatSync, mkdirSync, readdirSync, symlinkSync, writeFileSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/report/output.js';
import { createSandboxInstallation, type SandboxInstallation } from '../config/sandbox-installation.js';
import { binPath } from '../support/paths.js';
import { writeFileWithMeta, type FileMeta } from '../unify/file-fixture.js';

/** A sandbox installation with a shared store, and how to run the product in it. */
export interface AdminSandbox extends SandboxInstallation {
  /** `.defaults/apps/vunify/hash` and its storage root (`<vserverDir>/.hash`). */
  hashDir: string;
  store: string;
  cache: string;
  env: Record<string, string>;
  /** Runs main() in this process with the sandbox's environment. */
  run(argv: readonly string[]): Promise<AdminRun>;
  /** A guest's root directory. */
  guest(name: string): string;
  destroy(): void;
}

/** What a run printed and returned. */
export interface AdminRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The exclude list every guest uses (spec 3.3: a plain line excludes). */
export const EXCLUDE_LIST = '/var/cache\n';

const META: FileMeta = { uid: 0, gid: 0, mode: 0o644, mtime: new Date(1_500_000_000_000) };

/** Creates the sandbox with `guests` opted in (apps/vunify) and `others` configured but not opted in. */
export function createAdminSandbox(guests: readonly string[], protect: 'none' | 'immutable', others: readonly string[] = []): AdminSandbox {
  const sandbox = createSandboxInstallation('vhashify-admin-');
  const hashDir = sandbox.mkdir('etc/vservers/.defaults/apps/vunify/hash');
  const store = sandbox.mkdir('vservers/.hash');
  symlinkSync(store, join(hashDir, 'root'));
  writeFileSync(join(hashDir, 'protect'), `${protect}\n`);
  sandbox.write('etc/vservers/.defaults/apps/vunify/exclude', EXCLUDE_LIST);
  // The sandbox guests have no package database: as `vserver … hashify` would with pkgmgmt-ignore.
  sandbox.write('etc/vservers/.defaults/apps/vunify/pkgmgmt-ignore');
  for (const name of guests) sandbox.addGuest(name);
  for (const name of others) sandbox.addGuest(name, { appdir: false });
  const cache = sandbox.mkdir('cache');
  const env = { UTIL_VSERVER_VARS: sandbox.varsFile, VHASHIFY_CACHE_DIR: cache, VHASHIFY_HINTS: '0' };
  return {
    ...sandbox,
    hashDir,
    store,
    cache,
    env,
    guest: (name) => join(sandbox.vserverDir, name),
    run: async (argv) => {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      const out: Output = { out: (t) => stdout.push(Buffer.from(t)), err: (t) => stderr.push(Buffer.from(t)), flush: () => undefined };
      const code = await main(argv, { argv0: 'vhashify', cwd: sandbox.top, env, out });
      return { code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() };
    },
    destroy: () => {
      spawnSync('chattr', ['-R', '-f', '-i', sandbox.top], { stdio: 'ignore' });
      sandbox.remove();
    },
  };
}

/**
 * A guest tree: files every guest has alike (to be shared), files of its own, a file too small, an
 * excluded directory, a symlink and two names of one private inode.
 */
export function writeGuestTree(root: string, name: string, commonFiles = 6): void {
  for (const dir of ['bin', 'etc', 'usr/share/doc', 'var/cache', 'home']) mkdirSync(join(root, dir), { recursive: true });
  for (let i = 0; i < commonFiles; i += 1) writeFileWithMeta(join(root, 'bin', `tool${i}`), `common tool ${i}\n`.repeat(40 * (i + 1)), { ...META, mode: 0o755 });
  writeFileWithMeta(join(root, 'usr/share/doc/README'), 'the same documentation in every guest\n', META);
  writeFileWithMeta(join(root, 'etc/own.conf'), `configuration of ${name} alone, long enough\n`, META);
  writeFileWithMeta(join(root, 'etc/hostname'), `${name}\n`, META); // too small
  writeFileWithMeta(join(root, 'var/cache/big'), 'excluded by the exclude list, never hashed\n', META);
  symlinkSync('../usr/share/doc/README', join(root, 'etc/readme-link'));
  writeFileWithMeta(join(root, 'home/one'), `two names of one private file of ${name}\n`, META);
  linkSync(join(root, 'home/one'), join(root, 'home/two'));
  chmodSync(join(root, 'home'), 0o755);
}

/** Every regular file below `dir`, relative path → lstat. */
export function listFiles(dir: string): Map<string, BigIntStats> {
  const files = new Map<string, BigIntStats>();
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const st = lstatSync(join(dir, rel), { bigint: true });
    if (st.isFile()) files.set(rel, st);
  }
  return files;
}

/** The store's entries (`xx/yy/rest-NNNNNNNN` regular files), name → lstat. */
export function listEntries(store: string): Map<string, BigIntStats> {
  const entries = new Map<string, BigIntStats>();
  for (const [rel, st] of listFiles(store)) if (/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]+-[0-9a-f]{8}$/.test(rel)) entries.set(rel, st);
  return entries;
}

/** What --overview should say of a guest, counted independently. */
export interface ExpectedGuest {
  eligibleFiles: number;
  eligibleBytes: number;
  linkedFiles: number;
  linkedBytes: number;
  savedBytes: number;
  pageCacheSharedBytes: number;
}

/** Counts a guest: regular files ≥ 16 bytes outside /var/cache; linked = inode is a store entry; saved per inode met k times: (k − 1) copies. */
export function countGuest(root: string, store: string): ExpectedGuest {
  const entryInodes = new Set([...listEntries(store).values()].map((st) => st.ino));
  const expected: ExpectedGuest = { eligibleFiles: 0, eligibleBytes: 0, linkedFiles: 0, linkedBytes: 0, savedBytes: 0, pageCacheSharedBytes: 0 };
  const seen = new Map<bigint, { count: number; st: BigIntStats }>();
  for (const [rel, st] of listFiles(root)) {
    if (rel.startsWith('var/cache/') || st.size < 16n) continue;
    expected.eligibleFiles += 1;
    expected.eligibleBytes += Number(st.size);
    if (entryInodes.has(st.ino)) {
      expected.linkedFiles += 1;
      expected.linkedBytes += Number(st.size);
    }
    const s = seen.get(st.ino) ?? { count: 0, st };
    s.count += 1;
    seen.set(st.ino, s);
  }
  for (const { count, st } of seen.values()) {
    if (count < 2) continue;
    expected.savedBytes += (count - 1) * Number(st.blocks) * 512;
    expected.pageCacheSharedBytes += (count - 1) * Number(st.size);
  }
  return expected;
}

/** What --overview should say of the store, counted independently. */
export interface ExpectedStore {
  entries: number;
  allocatedBytes: number;
  orphanedEntries: number;
  orphanedBytes: number;
  savedBytes: number;
  pageCacheSharedBytes: number;
}

/** Counts a store: entries, their blocks, those with link count 1, and (k − 1) copies saved per entry that k guest names link. */
export function countStore(store: string): ExpectedStore {
  const expected: ExpectedStore = { entries: 0, allocatedBytes: 0, orphanedEntries: 0, orphanedBytes: 0, savedBytes: 0, pageCacheSharedBytes: 0 };
  for (const st of listEntries(store).values()) {
    const bytes = Number(st.blocks) * 512;
    expected.entries += 1;
    expected.allocatedBytes += bytes;
    if (st.nlink === 1n) {
      expected.orphanedEntries += 1;
      expected.orphanedBytes += bytes;
    } else {
      expected.savedBytes += (Number(st.nlink) - 2) * bytes;
      expected.pageCacheSharedBytes += (Number(st.nlink) - 2) * Number(st.size);
    }
  }
  return expected;
}

/** The product's launcher for the sandbox (`$_VHASHIFY`), so the wrapper stand-in can call it. */
export function writeLauncher(sandbox: AdminSandbox): void {
  const exports = Object.entries(sandbox.env).map(([k, v]) => `export ${k}='${v}'`).join('\n');
  const path = sandbox.write('usr/lib/util-vserver/vhashify', `#!/bin/sh\n${exports}\nexport VHASHIFY_ARGV0="$0"\nexec '${process.execPath}' '${binPath}' "$@"\n`);
  chmodSync(path, 0o755);
}
