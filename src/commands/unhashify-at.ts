// One --unhashify run over one tree (a guest's, or a tree given by hand): its store's roots opened
// with their inventories, flags a crashed run left lifted put back, the tree walked.
import type { CommandLine } from '../cli/command-line.js';
import { formatUnhashifySummary } from '../report/admin-lines.js';
import { formatErrno } from '../report/strerror.js';
import { ProtectionJournal } from '../store/protection-journal.js';
import { readStoreInventory } from '../store/store-inventory.js';
import { sweepTempDir } from '../store/temp-dir.js';
import { AT_FDCWD, O_DIRECTORY, O_RDONLY } from '../sys/constants.js';
import { fstatFd } from '../sys/file-stat.js';
import { closeFd, openAt } from '../sys/open-at.js';
import { DurableCopies } from '../unify/durable-copies.js';
import { openRootDir, releaseDir, type DirHandle } from '../walk/dir-handle.js';
import type { PathSelection } from '../walk/path-selection.js';
import { repairJournaledFlags } from './journal-repair.js';
import type { StoreSession } from './store-session.js';
import type { RunEnvironment, RunResult } from './traverse-guest.js';
import { createUnhashifyStats, unhashifyTree, UnprotectedEntryError, type UnhashifyStats, type UnshareRoot } from './unhashify-tree.js';

/** The tree, what of it, the store it shares, and the name the summary gives it. */
export interface UnhashifyTarget {
  treeRoot: Buffer;
  label: Buffer;
  selection: PathSelection;
  session: StoreSession;
}

/** The run's outcome with its figures. */
export interface UnhashifyResult extends RunResult {
  unhashified?: UnhashifyStats;
}

/** Makes the tree's store entries private; exit status 1 when a name stays shared or a directory was skipped. */
export async function unhashifyAt(t: UnhashifyTarget, cmd: CommandLine, env: RunEnvironment): Promise<UnhashifyResult> {
  const { out } = env;
  let root: DirHandle;
  try {
    root = openRootDir(t.treeRoot);
  } catch (error) {
    out.err(`chdir(): ${formatErrno(error)}\n`);
    return { exitCode: 1 };
  }
  const roots = openRoots(t, cmd, env);
  const stats = createUnhashifyStats();
  let stopped = false;
  try {
    if (repairJournaledFlags(roots, out)) {
      await unhashifyTree({
        root,
        selection: t.selection,
        roots,
        policy: t.session.policy,
        dryRun: cmd.dryRun,
        verbosity: cmd.verbosity,
        ignoreMtime: cmd.ignoreMtime,
        out,
        stats,
      });
      for (const r of roots) r.journal?.clear();
    } else {
      stopped = true;
    }
  } catch (error) {
    if (!(error instanceof UnprotectedEntryError)) throw error;
    out.err('vhashify: the run stops here, so that no entry stays without its protection longer; the next run puts the flag back before anything else.\n');
    stopped = true;
  } finally {
    releaseDir(root);
    for (const r of roots) {
      r.journal?.close();
      closeFd(r.fd);
    }
  }
  if (cmd.verbosity >= 1 || cmd.dryRun) out.out(formatUnhashifySummary(t.label, stats, cmd.dryRun));
  const failed = stopped || stats.failures > 0 || stats.failedDirs > 0;
  return { exitCode: failed ? 1 : 0, unhashified: stats };
}

function openRoots(t: UnhashifyTarget, cmd: CommandLine, env: RunEnvironment): UnshareRoot[] {
  const opened: UnshareRoot[] = [];
  for (const r of t.session.store.roots) {
    let fd: number;
    try {
      fd = openAt(AT_FDCWD, r.pathBytes, O_RDONLY | O_DIRECTORY);
    } catch {
      continue; // gone since it was enumerated: its guest files cannot be its entries
    }
    // Holding the lock, the root's temporary directory can only hold copies of a run that died.
    if (t.session.lockSinceNs !== undefined) sweepTempDir(fd);
    const root: UnshareRoot = { dev: r.dev, fd, path: r.path, inventory: readStoreInventory({ fd }) };
    if (!cmd.dryRun) {
      root.durable = new DurableCopies(fd);
      if (t.session.policy !== 'vserver') root.journal = ProtectionJournal.forRoot(env.cacheDir, fstatFd(fd));
    }
    opened.push(root);
  }
  return opened;
}
