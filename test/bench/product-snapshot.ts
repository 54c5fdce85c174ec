// A private copy of the compiled product, so a long run measures one build even while others recompile the checkout.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { runChecked } from './run-command.js';
import { removeTree } from './tree-ops.js';

/** Copies bin/, dist/src/ and package.json below `dest` (node_modules is linked); returns the copied bin/vhashify. */
export function createProductSnapshot(repoRoot: string, dest: string): string {
  removeTree(dest);
  mkdirSync(join(dest, 'dist'), { recursive: true });
  runChecked('cp', ['-a', join(repoRoot, 'bin'), join(repoRoot, 'package.json'), dest]);
  runChecked('cp', ['-a', join(repoRoot, 'dist', 'src'), join(dest, 'dist')]);
  symlinkSync(join(repoRoot, 'node_modules'), join(dest, 'node_modules'));
  return join(dest, 'bin', 'vhashify');
}

/** A short digest over the compiled modules below `distSrc`, to tell builds apart in the results. */
export function computeDistDigest(distSrc: string): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(distSrc, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.js')).sort()) {
    hash.update(`${name}\0`).update(readFileSync(join(distSrc, name)));
  }
  return hash.digest('hex').slice(0, 16);
}
