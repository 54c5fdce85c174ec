// `vhashify --manually`: upstream's start-up sequence (spec 1.6 step 5), then one traversal.
import type { CommandLine } from '../cli/command-line.js';
import { createMatchList } from '../exclude/match-list.js';
import { readExcludeFile, type ExcludeFileResult } from '../exclude/read-exclude-file.js';
import { formatErrno } from '../report/strerror.js';
import { formatInitializingLine } from '../report/upstream-lines.js';
import { resolveHashDir } from '../store/hash-config.js';
import { decidePolicy, proveProtection } from './choose-protection.js';
import { openStore } from './open-store.js';
import { refuseMisconfiguration } from './refuse-misconfiguration.js';
import { takeStoreLock } from './take-store-lock.js';
import { traverseGuest, type RunEnvironment, type RunResult } from './traverse-guest.js';

export type { RunEnvironment, RunResult } from './traverse-guest.js';

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

  const decided = decidePolicy(cmd.protect, hashDir, env.vserverKernel);
  if (!decided.ok) return fail(decided.message);
  const { policy } = decided;
  if (policy === 'none' && env.hints) {
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
    const unprovable = proveProtection(policy, hashDir, env.vserverKernel);
    if (unprovable !== undefined) return fail(unprovable);
  }

  const locked = await takeStoreLock(hashDir, cmd, out);
  if (locked.kind === 'busy') return { exitCode: 75 };
  try {
    const store = openStore(hashDir, cmd.dryRun, out, env.hints);
    if (store === undefined) return { exitCode: 1 };
    // Upstream's order in manual mode: the store first, then the exclude list.
    const guestPath = Buffer.from(guestArg ?? '');
    if (cmd.verbosity >= 1) out.out(formatInitializingLine(guestPath));
    if (cmd.verbosity >= 6 && excludeArg !== '') out.out('  Reading exclude file\n');
    const excludes = preread ?? readExcludeFile(excludeArg);
    if (excludes.opened && excludes.error !== undefined) return fail(`read(): ${formatErrno(excludes.error)}\n`);
    if (!excludes.opened && excludes.error !== undefined && env.hints) {
      // QUIRK Q08 (dry runs only; a real run refused above): upstream silently includes everything.
      out.err(`vhashify: exclude list '${excludeArg}' could not be opened (${formatErrno(excludes.error)}); nothing is excluded\n`);
    }
    return await traverseGuest({
      guestRoot: guestPath,
      matchList: createMatchList(excludes.rules),
      store,
      policy,
      ...(locked.sinceNs === undefined ? {} : { lockSinceNs: locked.sinceNs }),
      rootHint: 'Check the guest directory path (first argument after the options).',
    }, cmd, env);
  } finally {
    locked.lock?.release();
  }
}
