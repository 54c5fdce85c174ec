// The end of upstream's start-up and the traversal itself (spec 1.6 steps 8–10): enter the guest
// root, then hashify the tree against an opened store.
import { readdirSync, rmSync, rmdirSync, statSync } from 'node:fs';
import type { CommandLine } from '../cli/command-line.js';
import type { MatchList } from '../exclude/match-list.js';
import type { Output } from '../report/output.js';
import { createRunStats, type RunStats } from '../report/run-stats.js';
import { formatErrno } from '../report/strerror.js';
import { InodeIndex } from '../store/inode-index.js';
import type { Protection } from '../unify/protection.js';
import { openRootDir, releaseDir, type DirHandle } from '../walk/dir-handle.js';
import { computeTempDir, hashifyTree, type RunRoot } from './hashify-tree.js';
import type { OpenedStore } from './open-store.js';

/** What a run needs from its surroundings (so tests can run it in-process). */
export interface RunEnvironment {
  out: Output;
  cwd: string;
  /** Print our one-line hints after upstream's messages (a human is watching). */
  hints: boolean;
  /** Where the fast path keeps its inode index. */
  cacheDir: string;
  /** The process environment (util-vserver-vars, INIT_CWD). */
  vars?: Record<string, string | undefined>;
  vserverKernel?: boolean;
}

/** The outcome of a run: exit status and figures. */
export interface RunResult {
  exitCode: number;
  stats?: RunStats;
}

/** One guest tree and what decides about it. */
export interface GuestTraversal {
  /** The directory to enter: the physical vdir, or manual mode's root as given. */
  guestRoot: Buffer;
  matchList: MatchList;
  store: OpenedStore;
  protection: Protection;
  /** Set while the store lock is held: when it was taken (older leftovers are a crashed run's). */
  lockSinceNs?: bigint;
  /** Our line after upstream's `chdir()` message when the root cannot be entered. */
  rootHint: string;
}

/** Prints `Starting to traverse directories...`, enters the root and hashifies the tree. */
export async function traverseGuest(t: GuestTraversal, cmd: CommandLine, env: RunEnvironment): Promise<RunResult> {
  const { out } = env;
  if (cmd.verbosity >= 1) out.out('Starting to traverse directories...\n');
  let root: DirHandle;
  try {
    root = openRootDir(t.guestRoot);
  } catch (error) {
    out.err(`chdir(): ${formatErrno(error)}\n`);
    if (env.hints) out.err(`${t.rootHint}\n`);
    return { exitCode: 1 };
  }
  const roots: RunRoot[] = [];
  // Holding the lock, the roots' temporary directories can only hold copies of a run that died.
  if (t.lockSinceNs !== undefined) for (const r of t.store.roots) sweepTempDir(computeTempDir(r.path));
  for (const r of t.store.roots) {
    const index = await InodeIndex.open(env.cacheDir, statSync(r.path, { bigint: true }), !cmd.dryRun);
    roots.push(index === undefined ? { dev: r.dev, path: r.path } : { dev: r.dev, path: r.path, index });
  }
  const stats = createRunStats();
  try {
    await hashifyTree({
      root,
      decide: (path) => t.matchList.decide(path),
      roots,
      algorithm: t.store.config.algorithm,
      dryRun: cmd.dryRun,
      verbosity: cmd.verbosity,
      refresh: cmd.refresh,
      ignoreMtime: cmd.ignoreMtime,
      mode: cmd.insecureLevel === 2 ? 'in-place' : 'copy',
      protection: t.protection,
      out,
      stats,
      ...(t.lockSinceNs === undefined ? {} : { reclaimBeforeNs: t.lockSinceNs, skipPlaceholder: true }),
    });
  } finally {
    releaseDir(root);
    for (const r of roots) r.index?.close();
  }
  for (const message of await t.protection.finish()) out.err(message);
  return { exitCode: stats.failedDirs > 0 ? 1 : 0, stats };
}

/** Removes the copies a crashed run left in a root's temporary directory, and the directory. */
function sweepTempDir(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    try {
      // Only our copies belong here; a directory (hand-made, say) is removed with what it holds.
      rmSync(`${dir}/${name}`, { force: true, recursive: true });
    } catch {
      // left for the admin; the rmdir below then fails too and the run goes on
    }
  }
  try {
    rmdirSync(dir);
  } catch {
    // something other than our copies is in there: leave it for the admin
  }
}
