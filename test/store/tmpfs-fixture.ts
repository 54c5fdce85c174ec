// Fresh tmpfs mounts for store and hash tests: a file system of our own gives a device number
// of our own, newest-first readdir order, and 64-bit timestamps. Needs root.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function runTool(tool: string, args: string[]): boolean {
  const status = spawnSync(tool, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (status.error) throw status.error;
  return status.status === 0;
}

/** Mounts a fresh tmpfs on the existing directory `dir`. */
export function createTmpfsAt(dir: string, size = '64m'): void {
  if (!runTool('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'none', dir])) {
    throw new Error(`cannot mount a tmpfs on ${dir} (tests need root)`);
  }
}

/** A new temporary directory with a fresh tmpfs mounted on it. */
export function createTmpfsDir(label: string, size = '64m'): string {
  const dir = mkdtempSync(join(tmpdir(), `vhashify-${label}-`));
  createTmpfsAt(dir, size);
  return dir;
}

/** Unmounts everything at and below `dir` (lazily when busy) and removes the directory. */
export function removeTmpfsDir(dir: string): void {
  if (!runTool('umount', ['-R', dir])) runTool('umount', ['-R', '-l', dir]);
  rmSync(dir, { recursive: true, force: true });
}

/** Bind-mounts directory `source` on directory `target`. */
export function createBindMount(source: string, target: string): void {
  if (!runTool('mount', ['--bind', source, target])) throw new Error(`cannot bind ${source} on ${target}`);
}
