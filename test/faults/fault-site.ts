// Sandboxes for fault tests: one tmpfs per test file, one site (guest, hash dir, store, cache) per case.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTmpfsDir, removeTmpfsDir } from '../store/tmpfs-fixture.js';

/** One sandbox: guest(s), a hash dir whose storage root is on the same file system, an exclude list, a cache dir. */
export interface FaultSite {
  dir: string;
  guest: string;
  hashDir: string;
  /** The storage root (`hashDir/root`), with a trailing `/` as the product names entries. */
  root: string;
  exclude: string;
  cache: string;
  method: string;
}

/** Mounts a fresh tmpfs for a test file (root only); remove it with removeFaultMount. */
export function createFaultMount(label: string, size = '512m'): string {
  return createTmpfsDir(`faults-${label}`, size);
}

/** Clears immutable flags (a failed immutable case must not block clean-up), unmounts and removes. */
export function removeFaultMount(dir: string): void {
  if (dir === '') return;
  spawnSync('chattr', ['-R', '-f', '-i', dir], { stdio: 'ignore' });
  removeTmpfsDir(dir);
}

/** Creates `parent/name` with an empty guest, a hash dir (method sha256, blocks all) and its storage root. */
export function createFaultSite(parent: string, name: string, method = 'sha256'): FaultSite {
  const dir = join(parent, name);
  const site: FaultSite = {
    dir,
    guest: join(dir, 'guest'),
    hashDir: join(dir, 'hash'),
    root: `${join(dir, 'hash', 'root')}/`,
    exclude: join(dir, 'exclude'),
    cache: join(dir, 'cache'),
    method,
  };
  mkdirSync(site.guest, { recursive: true });
  mkdirSync(site.root, { recursive: true });
  writeFileSync(join(site.hashDir, 'method'), `${method}\n`);
  writeFileSync(join(site.hashDir, 'blocks'), 'all\n');
  writeFileSync(site.exclude, '');
  return site;
}

/** `cp -a` of the contents of `from` into the existing `to`: owners, modes, times and hard links kept. */
export function createTreeCopy(from: string, to: string): void {
  const r = spawnSync('cp', ['-a', '--', `${from}/.`, to], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cp -a ${from} ${to} failed: ${r.stderr}`);
}

/** Mounts a tmpfs with these mount options (e.g. `size=2m`, `nr_inodes=40`) on the existing `dir`. */
export function createTmpfsWith(dir: string, options: string): void {
  runMount(['-t', 'tmpfs', '-o', `${options},mode=0755`, 'none', dir]);
}

/** Changes the options of the mount on `dir` (`ro`, `rw`, `size=8m`, …). */
export function applyMountOptions(dir: string, options: string): void {
  runMount(['-o', `remount,${options}`, dir]);
}

function runMount(args: string[]): void {
  const r = spawnSync('mount', args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mount ${args.join(' ')} failed: ${r.stderr}`);
}
