// Guest trees for the package-database tests: files, symlinks and FIFOs below a root.
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Creates `relative` below `root` with `content` (parents created). */
export function writeGuestFile(root: string, relative: string, content: string | Buffer = ''): string {
  const path = join(root, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** Plants a symlink `relative` → `target` below `root`. */
export function plantSymlink(root: string, relative: string, target: string): void {
  mkdirSync(dirname(join(root, relative)), { recursive: true });
  symlinkSync(target, join(root, relative));
}

/** Plants a FIFO `relative` below `root` (with mkfifo(1); Node has no mkfifo). */
export function plantFifo(root: string, relative: string): void {
  mkdirSync(dirname(join(root, relative)), { recursive: true });
  const run = spawnSync('mkfifo', [join(root, relative)]);
  if (run.status !== 0) throw new Error(`mkfifo failed: ${run.stderr}`);
}
