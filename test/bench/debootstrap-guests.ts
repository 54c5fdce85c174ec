// The three real Debian guests of the benchmark, built once with debootstrap and kept as pristine tarballs.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { formatTarballPath, type BenchLayout } from './bench-dir.js';
import { runChecked } from './run-command.js';
import { createTarball, removeTree } from './tree-ops.js';

/** One guest: its name in the bench directory and the debootstrap options that build it. */
export interface GuestSpec {
  name: string;
  options: readonly string[];
}

/** The suite every guest is built from. */
export const GUEST_SUITE = 'bookworm';

/** Two separate minbase runs (near-identical guests) and one larger guest, in hashify order. */
export const GUEST_SPECS: readonly GuestSpec[] = [
  { name: 'g1-minbase', options: ['--variant=minbase'] },
  { name: 'g2-minbase', options: ['--variant=minbase'] },
  { name: 'g3-larger', options: ['--include=python3,perl,openssh-server,nginx-light'] },
];

/** The debootstrap command line for one guest; no mirror is named, so debootstrap uses its default. */
export function formatDebootstrapArgs(spec: GuestSpec, target: string, debCacheDir: string): string[] {
  return [...spec.options, `--cache-dir=${debCacheDir}`, GUEST_SUITE, target];
}

/** Whether every guest already has its pristine tarball. */
export function hasAllTarballs(layout: BenchLayout): boolean {
  return GUEST_SPECS.every((spec) => existsSync(formatTarballPath(layout, spec.name)));
}

/** Builds one guest with debootstrap and turns it into its tarball; an existing tarball is kept unless `force`. */
export function createGuestTarball(layout: BenchLayout, spec: GuestSpec, force: boolean, log: (text: string) => void): void {
  const tarball = formatTarballPath(layout, spec.name);
  if (existsSync(tarball) && !force) {
    log(`${spec.name}: ${tarball} exists, kept (use --force to rebuild)`);
    return;
  }
  const target = join(layout.root, 'build', spec.name);
  removeTree(target);
  mkdirSync(layout.debCacheDir, { recursive: true });
  mkdirSync(layout.pristineDir, { recursive: true });
  const args = formatDebootstrapArgs(spec, target, layout.debCacheDir);
  log(`${spec.name}: debootstrap ${args.join(' ')}`);
  runChecked('debootstrap', args, { inherit: true });
  log(`${spec.name}: writing ${tarball}`);
  const partial = `${tarball}.partial`;
  createTarball(target, partial);
  renameSync(partial, tarball);
  removeTree(target);
}
