// `vhashify --manually`: upstream's start-up sequence (spec 1.6 step 5), then one traversal.
import { readdirSync, rmSync, rmdirSync, statSync } from 'node:fs';
import type { CommandLine } from '../cli/command-line.js';
import { formatAutoRefusal, readProtectPolicy } from '../config/read-protect-policy.js';
import { createMatchList } from '../exclude/match-list.js';
import { readExcludeFile, type ExcludeFileResult } from '../exclude/read-exclude-file.js';
import type { Output } from '../report/output.js';
import { createRunStats, type RunStats } from '../report/run-stats.js';
import { formatErrno } from '../report/strerror.js';
import { formatInitializingLine } from '../report/upstream-lines.js';
import { loadHashConfig, resolveHashDir } from '../store/hash-config.js';
import { InodeIndex } from '../store/inode-index.js';
import { acquireStoreLock, type StoreLock } from '../store/store-lock.js';
import { findStorageRoots, formatDuplicateEntry, formatDuplicateHint, formatNoRootHint } from '../store/storage-roots.js';
import { createImmutableProtection } from '../unify/immutable-protection.js';
import { createNoProtection, type Protection } from '../unify/protection.js';
import { createVserverProtection, hasVserverKernel } from '../unify/vserver-protection.js';
import { openRootDir, releaseDir, type DirHandle } from '../walk/dir-handle.js';
import { computeTempDir, hashifyTree, type RunRoot } from './hashify-tree.js';
import { refuseMisconfiguration } from './refuse-misconfiguration.js';

const NEWLINE = Buffer.from('\n');

/** What a run needs from its surroundings (so tests can run it in-process). */
export interface RunEnvironment {
  out: Output;
  cwd: string;
  /** Print our one-line hints after upstream's messages (a human is watching). */
  hints: boolean;
  /** Where the fast path keeps its inode index. */
  cacheDir: string;
  vserverKernel?: boolean;
}

/** The outcome of a run: exit status and figures. */
export interface RunResult {
  exitCode: number;
  stats?: RunStats;
}

/** Runs manual mode; the command line has already been checked for `--destination` and a guest path. */
export async function runManual(cmd: CommandLine, env: RunEnvironment): Promise<RunResult> {
  const { out } = env;
  const fail = (text: string | Buffer, hint?: string | Buffer): RunResult => {
    out.err(text);
    if (hint !== undefined && env.hints) out.err(hint);
    return { exitCode: 1 };
  };
  const [guestArg, excludeArg] = cmd.positionals;
  if (excludeArg === undefined) return fail('No exclude list specified\n', 'Give the exclude list as the second path (an empty string means none).\n');
  // IMPROVEMENT over QUIRK Q22: a relative hash dir is resolved now, so it still works after we enter the guest.
  const hashDir = resolveHashDir(cmd.destination ?? '', env.cwd);

  const protectFiles = [`${hashDir.replace(/\/+$/, '')}/protect`];
  const choice = readProtectPolicy(cmd.protect, protectFiles);
  if ('error' in choice) return fail(choice.error);
  const vserverKernel = env.vserverKernel ?? hasVserverKernel();
  let protection: Protection;
  if (choice.policy === 'none') protection = createNoProtection();
  else if (choice.policy === 'immutable') protection = await createImmutableProtection();
  else if (choice.policy === 'vserver' || vserverKernel) {
    protection = await createVserverProtection({ showattr: 'showattr', setattr: 'setattr', kernelSupportsAttributes: vserverKernel });
  } else return fail(formatAutoRefusal(protectFiles));
  if (protection.policy === 'none' && env.hints) {
    out.err("vhashify: protection 'none': shared files are plain hard links; an in-place write in one guest shows in every guest sharing the file.\n");
  }

  // A real run refuses what upstream would obey to the user's harm, before it touches anything.
  let preread: ExcludeFileResult | undefined;
  if (!cmd.dryRun) {
    const verdict = refuseMisconfiguration({
      excludePath: excludeArg,
      excludeFix: "Fix the path, or pass '' for no exclude list: without its list a run would hashify everything, /etc/passwd included.\n",
      hashDir,
      suggestedStore: '/vservers/.hash',
    });
    if (!verdict.ok) return fail(verdict.message, verdict.hint);
    preread = verdict.excludes;
  }

  // Runs that change the store take its lock first; a dry run changes nothing and never waits.
  let lock: StoreLock | undefined;
  if (!cmd.dryRun) {
    const got = await acquireStoreLock(hashDir, !cmd.noWait, () => {
      out.err(`vhashify: another run holds '${hashDir}'; waiting for it to finish\n`);
    });
    if ('release' in got) lock = got;
    else if (got.kind === 'busy') {
      out.err(`vhashify: another run holds '${hashDir}'; giving up (--no-wait)\n`);
      return { exitCode: 75 };
    }
    // Any other failure (the hash dir does not exist, say) is reported by the next step, as upstream does.
  }
  try {
    const reclaimBeforeNs = lock === undefined ? undefined : BigInt(Date.now()) * 1_000_000n;
    return await runLocked(cmd, env, hashDir, protection, guestArg ?? '', excludeArg, preread, reclaimBeforeNs);
  } finally {
    lock?.release();
  }
}

async function runLocked(
  cmd: CommandLine,
  env: RunEnvironment,
  hashDir: string,
  protection: Protection,
  guestArg: string,
  excludeArg: string,
  preread: ExcludeFileResult | undefined,
  reclaimBeforeNs: bigint | undefined,
): Promise<RunResult> {
  const { out } = env;
  const fail = (text: string | Buffer, hint?: string | Buffer): RunResult => {
    out.err(text);
    if (hint !== undefined && env.hints) out.err(hint);
    return { exitCode: 1 };
  };
  const line = (text: Buffer): Buffer => Buffer.concat([text, NEWLINE]);
  const config = loadHashConfig(hashDir, { dryRun: cmd.dryRun });
  if (!config.ok) {
    for (const message of config.messages) out.err(line(message));
    return { exitCode: 1 };
  }
  const found = findStorageRoots(hashDir);
  if ('error' in found) {
    const hint = found.reason === 'no-storage-root' ? line(formatNoRootHint(hashDir)) : undefined;
    return fail(line(found.error), hint);
  }
  for (const name of found.duplicates) out.err(line(formatDuplicateEntry(name)));
  if (found.duplicates.length > 0 && env.hints) out.err(line(formatDuplicateHint(hashDir, found.duplicates)));

  const guestPath = Buffer.from(guestArg);
  if (cmd.verbosity >= 1) out.out(formatInitializingLine(guestPath));
  if (cmd.verbosity >= 6 && excludeArg !== '') out.out('  Reading exclude file\n');
  const excludes = preread ?? readExcludeFile(excludeArg);
  if (excludes.opened && excludes.error !== undefined) return fail(`read(): ${formatErrno(excludes.error)}\n`);
  if (!excludes.opened && excludes.error !== undefined && env.hints) {
    // QUIRK Q08: upstream silently includes everything when the list cannot be opened.
    out.err(`vhashify: exclude list '${excludeArg}' could not be opened (${formatErrno(excludes.error)}); nothing is excluded\n`);
  }
  const matchList = createMatchList(excludes.rules);
  if (cmd.verbosity >= 1) out.out('Starting to traverse directories...\n');

  let root: DirHandle;
  try {
    root = openRootDir(guestPath);
  } catch (error) {
    return fail(`chdir(): ${formatErrno(error)}\n`, 'Check the guest directory path (first argument after the options).\n');
  }
  const roots: RunRoot[] = [];
  // Holding the lock, the roots' temporary directories can only hold copies of a run that died.
  if (reclaimBeforeNs !== undefined) for (const r of found.roots) sweepTempDir(computeTempDir(r.path));
  for (const r of found.roots) {
    const index = await InodeIndex.open(env.cacheDir, statSync(r.path, { bigint: true }), !cmd.dryRun);
    roots.push(index === undefined ? { dev: r.dev, path: r.path } : { dev: r.dev, path: r.path, index });
  }
  const stats = createRunStats();
  try {
    await hashifyTree({
      root,
      decide: (path) => matchList.decide(path),
      roots,
      algorithm: config.algorithm,
      dryRun: cmd.dryRun,
      verbosity: cmd.verbosity,
      refresh: cmd.refresh,
      ignoreMtime: cmd.ignoreMtime,
      mode: cmd.insecureLevel === 2 ? 'in-place' : 'copy',
      protection,
      out,
      stats,
      ...(reclaimBeforeNs === undefined ? {} : { reclaimBeforeNs, skipPlaceholder: true }),
    });
  } finally {
    releaseDir(root);
    for (const r of roots) r.index?.close();
  }
  for (const message of await protection.finish()) out.err(message);
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
