// Upstream's C vhashify beside ours: which binary, the command line it gets, and its J1 runs.
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchContext } from './bench-context.js';
import type { BenchLayout } from './bench-dir.js';
import { formatUpstreamTool, IN_PLACE_TOOL, TOOL_NAMES } from './jobs.js';
import type { GuestDir, Manifest } from './manifest.js';
import { measureUpstream } from './measure-tools.js';
import { checkRun } from './run-check.js';

/** The binary the bench uses, or why there is none (a note for the results), or why it cannot run (an error). */
export type UpstreamChoice = { path: string; digest: string } | { note: string } | { error: string };

/** Where build-upstream.sh puts the binary when given `<bench dir>/upstream` as its output directory. */
export function findDefaultUpstreamPath(layout: BenchLayout): string {
  return join(layout.root, 'upstream', 'vhashify');
}

/**
 * Picks upstream's binary: the one named by --upstream (which must be an executable file), none
 * with --no-upstream, else the default path when a build is there.
 */
export function chooseUpstream(option: string | false | undefined, layout: BenchLayout): UpstreamChoice {
  const how = 'build it with test/bench/build-upstream.sh (README, "Upstream rows")';
  if (option === false) return { note: 'no upstream rows: --no-upstream was given.' };
  const path = resolve(option ?? findDefaultUpstreamPath(layout));
  if (!isExecutableFile(path)) {
    if (option === undefined) return { note: `no upstream rows: ${path} does not exist; ${how}.` };
    return { error: `--upstream: ${path} is not an executable file; ${how}` };
  }
  // Told apart in the results by content, as rebuilding replaces the file in place.
  return { path, digest: createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16) };
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Upstream in J1 on fresh copies: copy mode, then in-place mode (`--sledgehammer`), each checked
 * by the same sharing check as ours (same files shared, every one linked to a store entry).
 */
export function measureUpstreamJ1(ctx: BenchContext, prepare: () => Manifest, guests: readonly GuestDir[], run: number): void {
  if (ctx.upstreamBin === undefined) return;
  const dirs = guests.map((g) => g.path);
  for (const [tool, extra] of [[TOOL_NAMES.upstream, []], [formatUpstreamTool(IN_PLACE_TOOL), ['--sledgehammer']]] as const) {
    const manifest = prepare();
    measureUpstream(ctx, dirs, { job: 'J1', run, files: manifest.size, tool }, extra);
    checkRun(ctx, manifest, guests, 'upstream', 'J1', tool, run);
  }
}
