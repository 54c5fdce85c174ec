// The end of upstream's start-up and the traversal itself (spec 1.6 steps 8–10): enter the guest
// root, then hashify the tree against an opened store.
import type { CommandLine } from '../cli/command-line.js';
import type { MatchList } from '../exclude/match-list.js';
import type { DurableCost, RunObserver } from '../report/events.js';
import type { Output } from '../report/output.js';
import { createRunStats, type RunStats } from '../report/run-stats.js';
import { formatErrno } from '../report/strerror.js';
import { InodeIndex } from '../store/inode-index.js';
import { ProtectionJournal } from '../store/protection-journal.js';
import { sweepTempDir } from '../store/temp-dir.js';
import { AT_FDCWD, O_DIRECTORY, O_RDONLY } from '../sys/constants.js';
import { fstatFd, lstatAtIfExists } from '../sys/file-stat.js';
import { closeFd, openAt } from '../sys/open-at.js';
import { DurableCopies } from '../unify/durable-copies.js';
import { lockEntry, type JournaledRoot } from '../unify/immutable-protection.js';
import type { EffectivePolicy } from '../unify/protection.js';
import { openRootDir, releaseDir, type DirHandle } from '../walk/dir-handle.js';
import { createProtection } from './choose-protection.js';
import { hashifyTree, ProtectionLostError, type RunRoot } from './hashify-tree.js';
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
  /** Whether the standard streams are terminals (a progress line is drawn only on one). */
  stderrIsTTY?: boolean;
  stdoutIsTTY?: boolean;
  /** Hears every event of the run: the summary, the progress line (commands/report-run.ts). */
  observe?: RunObserver;
}

/** The outcome of a run: exit status and figures; `stopAll`: nothing more may be done in this process. */
export interface RunResult {
  exitCode: number;
  stats?: RunStats;
  stopAll?: boolean;
}

/** One guest tree and what decides about it. */
export interface GuestTraversal {
  /** The directory to enter: the physical vdir, or manual mode's root as given. */
  guestRoot: Buffer;
  matchList: MatchList;
  store: OpenedStore;
  policy: EffectivePolicy;
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
  const roots = await openRunRoots(t, cmd, env);
  const stats = createRunStats();
  let complete = false;
  env.observe?.({ kind: 'traversal-begin', root: t.guestRoot, rootStat: fstatFd(root.fd) });
  try {
    if (t.lockSinceNs !== undefined) repairJournaledEntries(roots, t.policy, env, stats);
    const protection = createProtection(t.policy, roots);
    try {
      await hashifyTree({
        root,
        decide: (path) => t.matchList.decide(path),
        roots: roots.map((r) => r.run),
        algorithm: t.store.config.algorithm,
        dryRun: cmd.dryRun,
        verbosity: cmd.verbosity,
        refresh: cmd.refresh,
        ignoreMtime: cmd.ignoreMtime,
        mode: cmd.insecureLevel === 2 ? 'in-place' : 'copy',
        protection,
        out,
        stats,
        ...(env.observe === undefined ? {} : { observe: env.observe }),
        ...(t.lockSinceNs === undefined ? {} : { reclaimBeforeNs: t.lockSinceNs, skipPlaceholder: true }),
      });
      complete = true;
    } catch (error) {
      if (!(error instanceof ProtectionLostError)) throw error;
      out.err('vhashify: the run stops here, so that no further file shares an unprotected entry; the next run protects that entry before anything else.\n');
      return { exitCode: 1, stats, stopAll: true };
    }
    for (const message of protection.finish()) out.err(message);
  } finally {
    const durable: DurableCost = { syncs: 0, waitedNs: 0n };
    for (const r of roots) {
      durable.syncs += r.run.durable?.syncs ?? 0;
      durable.waitedNs += r.run.durable?.waitedNs ?? 0n;
    }
    env.observe?.({ kind: 'traversal-end', complete, durable });
    releaseDir(root);
    for (const r of roots) {
      r.run.index?.close();
      r.journal?.close();
      closeFd(r.run.fd);
    }
  }
  return { exitCode: stats.failedDirs > 0 || stats.protectionFailures > 0 ? 1 : 0, stats };
}

/** A storage root opened for the traversal, with its index and its journal of lifted flags. */
interface OpenedRunRoot extends JournaledRoot {
  run: RunRoot;
}

async function openRunRoots(t: GuestTraversal, cmd: CommandLine, env: RunEnvironment): Promise<OpenedRunRoot[]> {
  const opened: OpenedRunRoot[] = [];
  for (const r of t.store.roots) {
    let fd: number;
    try {
      fd = openAt(AT_FDCWD, r.pathBytes, O_RDONLY | O_DIRECTORY);
    } catch {
      continue; // gone since it was enumerated: its files are skipped as `no matching device`
    }
    const rootStat = fstatFd(fd);
    // Holding the lock, the root's temporary directory can only hold copies of a run that died.
    if (t.lockSinceNs !== undefined) sweepTempDir(fd);
    const run: RunRoot = { dev: r.dev, fd, path: r.path };
    const index = await InodeIndex.open(env.cacheDir, rootStat, !cmd.dryRun);
    if (index !== undefined) run.index = index;
    if (!cmd.dryRun && cmd.insecureLevel !== 2) run.durable = new DurableCopies(fd);
    opened.push(cmd.dryRun ? { fd, run } : { fd, run, journal: ProtectionJournal.forRoot(env.cacheDir, rootStat) });
  }
  return opened;
}

/**
 * Before anything else: entries whose immutable flag an earlier run lifted and could not put back
 * (it died in the window, or lost the capability) get it again.
 */
function repairJournaledEntries(roots: readonly OpenedRunRoot[], policy: EffectivePolicy, env: RunEnvironment, stats: RunStats): void {
  for (const r of roots) {
    const pending = r.journal?.readPending() ?? [];
    if (pending.length === 0) continue;
    let failed = false;
    if (policy === 'immutable') {
      for (const name of pending) {
        if (lstatAtIfExists(r.fd, name) === undefined) continue; // gone: nothing left to protect
        const problem = lockEntry({ dirFd: r.fd, name });
        if (problem === undefined) continue;
        failed = true;
        stats.protectionFailures += 1;
        env.observe?.({ kind: 'protection-failed' });
        env.out.err(`vhashify: store entry '${r.run.path}${name.toString('latin1')}' still lacks the immutable flag, and it cannot be set (${problem})\n`);
      }
    }
    if (!failed) r.journal?.clear();
  }
}
