// `vhashify --clone SRC DEST`: a new guest from a hashified one. DEST without a slash is a guest
// name: the tree goes below the default vservers directory and the configuration is copied
// (identity left for the admin). DEST with a slash is a directory: just the tree. SRC is a guest
// (a name, or a configuration directory path) or a directory tree.
import type { CommandLine } from '../cli/command-line.js';
import { copyGuestConfig, findVdirBase } from '../config/clone-config.js';
import { computeDefaultAppDir, type Installation } from '../config/installation.js';
import { isDirectoryPath } from '../config/path-tests.js';
import { computeBaseDir, joinBase, resolveGuest, type Guest } from '../config/resolve-guest.js';
import { formatCloneSummary } from '../report/admin-lines.js';
import { formatErrno } from '../report/strerror.js';
import { concatBytes } from '../store/byte-text.js';
import { resolveHashDir } from '../store/hash-config.js';
import { ProtectionJournal } from '../store/protection-journal.js';
import { readStoreInventory } from '../store/store-inventory.js';
import { AT_FDCWD, O_DIRECTORY, O_RDONLY } from '../sys/constants.js';
import { fstatFd, lstatAtIfExists } from '../sys/file-stat.js';
import { closeFd, openAt } from '../sys/open-at.js';
import { openRootDir, releaseDir, type DirHandle } from '../walk/dir-handle.js';
import { createProtection } from './choose-protection.js';
import { cloneTree, CloneRootError, CloneStoppedError, createCloneStats } from './clone-tree.js';
import { acquireGuestStore } from './guest-store.js';
import { repairJournaledFlags } from './journal-repair.js';
import type { InventoriedRoot } from './plan-clone.js';
import { loadInstallation } from './run-vserver.js';
import { StoreSessions, type StoreSession, type StoreSessionOutcome } from './store-session.js';
import type { RunEnvironment, RunResult } from './traverse-guest.js';
import { reportResolutionFailure } from './resolve-named-guest.js';

/** Where the clone comes from and goes to. */
interface ClonePlan {
  source: { tree: Buffer; guest?: Guest; label: Buffer };
  dest: { tree: Buffer; label: Buffer; guest?: { name: Buffer; cfgdir: Buffer } };
}

const SLASH = 0x2f;

/** Runs --clone; exit status 1 when anything could not be cloned. */
export async function runClone(cmd: CommandLine, env: RunEnvironment): Promise<RunResult> {
  const { out } = env;
  const [srcArg, destArg, ...extra] = cmd.positionals;
  if (srcArg === undefined || destArg === undefined || extra.length > 0) {
    out.err("vhashify: '--clone' takes two arguments: the guest (or directory) to clone and the new guest's name (or a new directory)\n");
    return { exitCode: 1 };
  }
  const needsInstallation = !srcArg.includes(SLASH) || !destArg.includes(SLASH) || cmd.destination === undefined;
  const inst = needsInstallation ? loadInstallation(env) : undefined;
  if (needsInstallation && inst === undefined) return { exitCode: 1 };
  const plan = makePlan(srcArg, destArg, inst, env);
  if (plan === undefined) return { exitCode: 1 };

  const sessions = new StoreSessions(cmd, env);
  try {
    const acquired = plan.source.guest !== undefined
      ? await acquireGuestStore(inst!, plan.source.guest, cmd, env, sessions)
      : await acquireTreeStore(cmd, env, inst, sessions);
    if (!acquired.ok) return { exitCode: acquired.exitCode };
    const result = await cloneWithStore(plan, acquired.session, cmd, env);
    if (result.exitCode !== 0 && !cmd.dryRun) return result;
    if (plan.dest.guest !== undefined && plan.source.guest !== undefined) {
      if (cmd.dryRun) {
        out.out(concatBytes("vhashify: would create guest '", plan.dest.guest.name, "': configuration '", plan.dest.guest.cfgdir, "', tree '", plan.dest.tree, "'\n"));
        return result;
      }
      return createGuestConfig(plan, env) ? result : { exitCode: 1 };
    }
    return result;
  } finally {
    sessions.releaseAll();
  }
}

function makePlan(srcArg: Buffer, destArg: Buffer, inst: Installation | undefined, env: RunEnvironment): ClonePlan | undefined {
  const { out } = env;
  const base = computeBaseDir({ cwd: env.cwd, env: env.vars ?? {} });
  let source: ClonePlan['source'];
  const srcPath = joinBase(base, srcArg);
  if (srcArg.includes(SLASH) && !isDirectoryPath(concatBytes(srcPath, '/vdir'))) {
    if (!isDirectoryPath(srcPath)) {
      out.err(concatBytes("vhashify: '", srcArg, "' is neither a guest nor a directory\n"));
      return undefined;
    }
    source = { tree: srcPath, label: srcArg };
  } else {
    const resolved = resolveGuest(inst!, srcArg, { cwd: env.cwd, env: env.vars ?? {} });
    if (!resolved.ok) {
      reportResolutionFailure(env, resolved.failure);
      return undefined;
    }
    source = { tree: resolved.guest.vdir, guest: resolved.guest, label: resolved.guest.name };
  }
  let dest: ClonePlan['dest'];
  if (destArg.includes(SLASH)) {
    dest = { tree: joinBase(base, destArg), label: destArg };
  } else {
    if (source.guest === undefined) {
      out.err(concatBytes("vhashify: a new guest '", destArg, "' needs a guest to copy the configuration from, not a directory; give a directory (with a slash) to clone just the tree\n"));
      return undefined;
    }
    if (destArg.length === 0 || destArg[0] === 0x2e) {
      out.err(concatBytes("vhashify: '", destArg, "' cannot be a guest name\n"));
      return undefined;
    }
    const cfgdir = concatBytes(inst!.confDir, '/', destArg);
    if (lstatAtIfExists(AT_FDCWD, cfgdir) !== undefined) {
      out.err(concatBytes("vhashify: guest '", destArg, "' exists already ('", cfgdir, "'); nothing was changed\n"));
      return undefined;
    }
    dest = { tree: concatBytes(findVdirBase(inst!), '/', destArg), label: destArg, guest: { name: destArg, cfgdir } };
  }
  if (lstatAtIfExists(AT_FDCWD, dest.tree) !== undefined) {
    out.err(concatBytes("vhashify: '", dest.tree, "' exists already; nothing was changed\n"));
    return undefined;
  }
  return { source, dest };
}

// A tree given by path: `--destination`, else the guests' default hash dir of the installation.
async function acquireTreeStore(cmd: CommandLine, env: RunEnvironment, inst: Installation | undefined, sessions: StoreSessions): Promise<StoreSessionOutcome> {
  let hashDir: string | undefined;
  if (cmd.destination !== undefined) hashDir = resolveHashDir(cmd.destination, env.cwd);
  else if (inst !== undefined) {
    const defaults = concatBytes(computeDefaultAppDir(inst), '/hash');
    if (isDirectoryPath(defaults)) hashDir = defaults.toString('utf8');
  }
  if (hashDir === undefined) {
    env.out.err("vhashify: cloning a directory needs the hash directory its files are linked to: give --destination <hashdir>\n");
    return { ok: false, exitCode: 1 };
  }
  return sessions.acquire({ hashDir, printed: hashDir });
}

async function cloneWithStore(plan: ClonePlan, session: StoreSession, cmd: CommandLine, env: RunEnvironment): Promise<RunResult> {
  const { out } = env;
  let source: DirHandle;
  try {
    source = openRootDir(plan.source.tree);
  } catch (error) {
    out.err(concatBytes("vhashify: cannot open '", plan.source.tree, `': ${formatErrno(error)}\n`));
    return { exitCode: 1 };
  }
  let parentFd: number | undefined;
  const roots = openRoots(session, cmd, env);
  const stats = createCloneStats();
  let failed = false;
  try {
    const protection = createProtection(session.policy, roots);
    if (!cmd.dryRun) {
      if (!repairJournaledFlags(roots, out)) return { exitCode: 1 };
      try {
        parentFd = openAt(AT_FDCWD, splitLast(plan.dest.tree).parent, O_RDONLY | O_DIRECTORY);
      } catch (error) {
        out.err(concatBytes("vhashify: cannot open '", splitLast(plan.dest.tree).parent, `' to create the new tree in: ${formatErrno(error)}\n`));
        return { exitCode: 1 };
      }
    }
    try {
      cloneTree({
        source,
        dest: { parentFd: parentFd ?? -1, name: splitLast(plan.dest.tree).name },
        roots,
        protection,
        dryRun: cmd.dryRun,
        verbosity: cmd.verbosity,
        out,
        stats,
      });
    } catch (error) {
      if (error instanceof CloneRootError) {
        out.err(concatBytes("vhashify: cannot create '", plan.dest.tree, `': ${error.message}\n`));
        return { exitCode: 1 };
      }
      if (!(error instanceof CloneStoppedError)) throw error;
      out.err(concatBytes("vhashify: the clone stops here; the incomplete tree '", plan.dest.tree, "' is left as it is (remove it with vhashify --unhashify --manually first)\n"));
      failed = true;
    }
    for (const message of protection.finish()) out.err(message);
  } finally {
    releaseDir(source);
    if (parentFd !== undefined) closeFd(parentFd);
    for (const r of roots) {
      r.journal?.close();
      closeFd(r.fd);
    }
  }
  out.out(formatCloneSummary(plan.source.label, plan.dest.label, stats, cmd.dryRun));
  return { exitCode: failed || stats.failures > 0 ? 1 : 0 };
}

function openRoots(session: StoreSession, cmd: CommandLine, env: RunEnvironment): Array<InventoriedRoot & { journal?: ProtectionJournal }> {
  const opened: Array<InventoriedRoot & { journal?: ProtectionJournal }> = [];
  for (const r of session.store.roots) {
    let fd: number;
    try {
      fd = openAt(AT_FDCWD, r.pathBytes, O_RDONLY | O_DIRECTORY);
    } catch {
      continue; // gone: the source's files on that file system are copied
    }
    const root: InventoriedRoot & { journal?: ProtectionJournal } = { dev: r.dev, fd, path: r.path, inventory: readStoreInventory({ fd }) };
    if (!cmd.dryRun && session.policy === 'immutable') root.journal = ProtectionJournal.forRoot(env.cacheDir, fstatFd(fd));
    opened.push(root);
  }
  return opened;
}

function createGuestConfig(plan: ClonePlan, env: RunEnvironment): boolean {
  const { out } = env;
  const srcGuest = plan.source.guest!;
  const destGuest = plan.dest.guest!;
  let skipped: Buffer[];
  try {
    skipped = copyGuestConfig(srcGuest.cfgdir, destGuest.cfgdir, srcGuest.name, destGuest.name, plan.dest.tree);
  } catch (error) {
    out.err(concatBytes("vhashify: the configuration '", destGuest.cfgdir, `' could not be created (${formatErrno(error)}); the tree '`, plan.dest.tree, "' is complete\n"));
    return false;
  }
  out.out(concatBytes("vhashify: new guest '", destGuest.name, "': configuration '", destGuest.cfgdir, "', tree '", plan.dest.tree, "'\n"));
  if (skipped.length > 0) {
    out.out(concatBytes("vhashify: per-guest settings of '", srcGuest.name, "' were not copied; set them for '", destGuest.name, "' before it starts:\n"));
    for (const relative of skipped) out.out(concatBytes('  ', destGuest.cfgdir, '/', relative, '\n'));
  }
  return true;
}

// `/a/b/c/` → parent `/a/b`, name `c` (bytes, trailing slashes ignored).
function splitLast(path: Buffer): { parent: Buffer; name: Buffer } {
  let end = path.length;
  while (end > 1 && path[end - 1] === SLASH) end -= 1;
  const at = path.lastIndexOf(SLASH, end - 1);
  if (at < 0) return { parent: Buffer.from('.'), name: path.subarray(0, end) };
  return { parent: at === 0 ? Buffer.from('/') : path.subarray(0, at), name: path.subarray(at + 1, end) };
}
