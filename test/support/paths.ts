// Where the repository and the shared golden vectors live, wherever the compiled test runs from.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'tsconfig.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
}

/** The repository checkout (the folder holding package.json). */
export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

/** The golden vectors produced by upstream vhashify; never copied into the repo. */
export const vectorsDir = resolve(repoRoot, '..', 'shared', 'vectors');

/** The command as users run it. */
export const binPath = join(repoRoot, 'bin', 'vhashify');

/** The stand-in for util-vserver's `vserver` wrapper (spec 9.1) that vserver.json's wrapper steps run. */
export const vserverStandInPath = join(repoRoot, 'test', 'support', 'upstream-vserver-standin.sh');
