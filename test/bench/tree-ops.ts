// Preparing identical trees before every measured run: remove, extract, flush, drop caches.
import { existsSync, mkdirSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { runChecked } from './run-command.js';

/** Removes a tree completely; on this file system (ext4 with discard) this is slow, and never measured. */
export function removeTree(path: string): void {
  if (existsSync(path)) runChecked('rm', ['-rf', '--one-file-system', path]);
}

/** Extracts a pristine tarball into an empty directory, keeping owners, modes, times and xattrs. */
export function extractTarball(tarball: string, dest: string): void {
  mkdirSync(dest, { recursive: true });
  runChecked('tar', ['--xattrs', "--xattrs-include=*", '--numeric-owner', '-xpf', tarball, '-C', dest]);
}

/** Writes a tree into a pristine tarball, the way the issue prescribes. */
export function createTarball(source: string, tarball: string): void {
  runChecked('tar', ['--xattrs', '--numeric-owner', '-cpf', tarball, '-C', source, '.']);
}

/** Flushes dirty pages, so writeback of the preparation does not land in the measured run. */
export function syncDisks(): void {
  runChecked('sync', []);
}

/** Empties the page cache (cold runs); returns false when the kernel does not let us. */
export function dropCaches(): boolean {
  syncDisks();
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3\n');
    return true;
  } catch {
    return false;
  }
}
