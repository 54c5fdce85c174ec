// What each job runs with our tool, and the store it hashifies into.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { BenchLayout } from './bench-dir.js';
import type { CommandLine } from './baselines.js';

/** The tool's role in a sample: ours, upstream's C vhashify, or one of the baselines. */
export type ToolRole = 'ours' | 'upstream' | 'hardlink' | 'floor';

/** How the table names each tool. */
export const TOOL_NAMES: Record<ToolRole, string> = {
  ours: 'vhashify',
  upstream: 'upstream vhashify',
  hardlink: 'hardlink -s 16',
  floor: 'floor: find | xargs -P2 sha1sum',
};

/**
 * Our tool in in-place mode (`--sledgehammer`): the guest's own inode becomes the store entry, so
 * nothing is copied or freed. Not a job of the issue; measured beside J1 because it does the same
 * kind of work as hardlink, which shows how much of J1's time is copy mode's extra work.
 */
export const IN_PLACE_TOOL = 'vhashify --sledgehammer';

/** How the table names upstream's run that does what a row of ours does (`vhashify --sledgehammer` → `upstream vhashify --sledgehammer`). */
export function formatUpstreamTool(oursTool: string): string {
  return `upstream ${oursTool}`;
}

/** What each job measures, for the table and the JSON. */
export const JOB_TITLES: Record<string, string> = {
  startup: 'vhashify --version (median of 10)',
  J1: 'three real guests, warm page cache',
  J2: 'daily re-run on the hashified guests: vhashify --all, one process',
  'J2-cold': 'J2 with the page cache dropped first (how the daily timer really runs)',
  J3: 'three real guests, cold page cache',
};

/**
 * A util-vserver installation in the work directory for `vhashify --all`: util-vserver-vars, a
 * CONFDIR whose guests' vdir links lead to the working copies, and `.defaults` with the same hash
 * dir, exclude list and no package lists (what the manual runs of J1 use, so both see the same
 * files). Returns the environment variables that point the product at it.
 */
export function createInstallation(layout: BenchLayout, excludeFile: string, guestDirs: readonly string[]): Record<string, string> {
  const confDir = join(layout.workDir, 'etc-vservers');
  const defaults = join(confDir, '.defaults', 'apps', 'vunify');
  mkdirSync(defaults, { recursive: true });
  if (!existsSync(join(defaults, 'hash'))) symlinkSync(layout.hashDir, join(defaults, 'hash'));
  writeFileSync(join(defaults, 'exclude'), readFileSync(excludeFile));
  writeFileSync(join(defaults, 'pkgmgmt-ignore'), '');
  guestDirs.forEach((dir) => {
    const cfg = join(confDir, basename(dir));
    mkdirSync(join(cfg, 'apps', 'vunify'), { recursive: true });
    if (!existsSync(join(cfg, 'vdir'))) symlinkSync(dir, join(cfg, 'vdir'));
  });
  const vars = join(layout.workDir, 'util-vserver-vars');
  writeFileSync(vars, `__CONFDIR='${confDir}'\n__DEFAULT_VSERVERDIR='${layout.guestsDir}'\n__PKGLIBDEFAULTDIR='${join(layout.workDir, 'defaults')}'\n`);
  return { UTIL_VSERVER_VARS: vars };
}

/** `vhashify --all`: every guest of the installation, in one process. */
export function formatAllCommand(binPath: string): CommandLine {
  return { file: binPath, args: ['--protect', 'none', '--json', '--all'] };
}

/** The title of a synthetic job. */
export function formatSyntheticTitle(label: string): string {
  return `synthetic, two guests sharing most files, ${label} files`;
}

/** The default exclude list upstream ships, as kept in the repository. */
export function findExcludeFile(repoRoot: string): string {
  return join(repoRoot, 'compat', 'vunify-exclude');
}

/** Creates the empty store of a fresh run: `method` says sha1, one storage root. */
export function createStore(layout: BenchLayout): void {
  mkdirSync(layout.storageRoot, { recursive: true });
  writeFileSync(join(layout.hashDir, 'method'), 'sha1\n');
  mkdirSync(layout.indexCacheDir, { recursive: true });
}

/**
 * One vhashify process per guest, one after the other: manual mode, copy mode, no protection. The
 * command is run as installed (through its `#!` line), as `vserver … hashify` and timers run it.
 * `--json` replaces the (empty at -v 0) output by the run's figures, whose sync cost the bench reports.
 */
export function formatOursCommands(
  binPath: string,
  layout: BenchLayout,
  excludeFile: string,
  guestDirs: readonly string[],
  extraOptions: readonly string[] = [],
): CommandLine[] {
  return guestDirs.map((guest) => ({
    file: binPath,
    args: ['--protect', 'none', '--json', ...extraOptions, '--manually', '--destination', layout.hashDir, guest, excludeFile],
  }));
}

/**
 * Upstream's manual mode, one process per guest, as ours runs: the same store, exclude list and
 * guest paths (absolute: upstream changes into the guest, so a relative hash dir would miss).
 * Upstream has no --protect; on a stock kernel its protection is a no-op through the shim.
 */
export function formatUpstreamCommands(
  binPath: string,
  layout: BenchLayout,
  excludeFile: string,
  guestDirs: readonly string[],
  extraOptions: readonly string[] = [],
): CommandLine[] {
  return guestDirs.map((guest) => ({
    file: binPath,
    args: [...extraOptions, '--manually', '--destination', resolve(layout.hashDir), resolve(guest), resolve(excludeFile)],
  }));
}

/** The environment of our runs: the inode index lives in the work directory, hints stay off. */
export function createOursEnv(layout: BenchLayout, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, VHASHIFY_CACHE_DIR: layout.indexCacheDir, VHASHIFY_HINTS: '0' };
}
