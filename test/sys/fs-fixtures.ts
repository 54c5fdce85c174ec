// File systems of our own for system-call tests: a loop-mounted ext4 image, tmpfs, ramfs (root only).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AT_FDCWD, O_DIRECTORY, O_RDONLY } from '../../src/sys/constants.js';
import { openAt } from '../../src/sys/open-at.js';

/** A mounted test file system: `dir` is its root; `remove()` unmounts it and deletes everything. */
export interface TestMount {
  dir: string;
  remove(): void;
}

function run(tool: string, args: string[]): void {
  const result = spawnSync(tool, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${result.stderr.trim()}`);
}

function unmount(dir: string): void {
  const result = spawnSync('umount', [dir], { stdio: 'ignore' });
  if (result.status !== 0) spawnSync('umount', ['-l', dir], { stdio: 'ignore' });
}

/** A fresh 64 MiB ext4 file system in an image file, loop-mounted below a new temporary directory. */
export function createExt4Mount(label: string): TestMount {
  const base = mkdtempSync(join(tmpdir(), `vhashify-sys-${label}-`));
  const image = join(base, 'ext4.img');
  const dir = join(base, 'mnt');
  mkdirSync(dir);
  try {
    run('truncate', ['-s', '64M', image]);
    run('mkfs.ext4', ['-q', image]);
    run('mount', ['-o', 'loop', image, dir]);
  } catch (error) {
    rmSync(base, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    remove() {
      unmount(dir);
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** A fresh tmpfs (`type` 'tmpfs') or ramfs mounted on a new temporary directory. */
export function createMemoryMount(label: string, type: 'tmpfs' | 'ramfs'): TestMount {
  const dir = mkdtempSync(join(tmpdir(), `vhashify-sys-${label}-`));
  try {
    run('mount', ['-t', type, '-o', 'mode=0755', 'none', dir]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    remove() {
      unmount(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens a directory by absolute path through the layer (O_RDONLY|O_DIRECTORY). */
export function openDirPath(path: string): number {
  return openAt(AT_FDCWD, Buffer.from(path), O_RDONLY | O_DIRECTORY);
}
