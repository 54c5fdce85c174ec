// `vhashify --manually`: upstream's start-up sequence (spec 1.6 step 5), then one traversal.
import type { CommandLine } from '../cli/command-line.js';
import { createMatchList } from '../exclude/match-list.js';
import { readExcludeFile } from '../exclude/read-exclude-file.js';
import { formatErrno } from '../report/strerror.js';
import { formatInitializingLine } from '../report/upstream-lines.js';
import { concatBytes } from '../store/byte-text.js';
import { resolveHashDir } from '../store/hash-config.js';
import { refuseLayoutProblems, refuseUnreadableExcludeList } from './refuse-misconfiguration.js';
import { reportRun } from './report-run.js';
import { StoreSessions } from './store-session.js';
import { traverseGuest, type RunEnvironment, type RunResult } from './traverse-guest.js';

export type { RunEnvironment, RunResult } from './traverse-guest.js';

/** Runs manual mode; the command line has already been checked for `--destination` and a guest path. */
export async function runManual(cmd: CommandLine, env: RunEnvironment): Promise<RunResult> {
  return reportRun(cmd, env, { mode: 'manual', guest: { root: cmd.positionals[0] ?? Buffer.alloc(0) } }, (reported) => hashifyPath(cmd, reported));
}

async function hashifyPath(cmd: CommandLine, env: RunEnvironment): Promise<RunResult> {
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
  // Read now (once): a real run refuses an unreadable list before it touches anything.
  const excludes = readExcludeFile(excludeArg);

  const sessions = new StoreSessions(cmd, env);
  try {
    const acquired = await sessions.acquire({
      hashDir,
      printed: hashDir,
      refuse: () => refuseUnreadableExcludeList(excludes, excludeArg,
        "Fix the path, or pass '' for no exclude list: without its list a run would hashify everything, /etc/passwd included.\n")
        ?? refuseLayoutProblems(hashDir, '/vservers/.hash'),
    });
    if (!acquired.ok) return { exitCode: acquired.exitCode };
    const { session } = acquired;
    // Upstream's order in manual mode: the store first, then the exclude list.
    const guestPath = guestArg ?? Buffer.alloc(0);
    if (cmd.verbosity >= 1) out.out(formatInitializingLine(guestPath));
    if (cmd.verbosity >= 6 && excludeArg.length > 0) out.out('  Reading exclude file\n');
    if (excludes.opened && excludes.error !== undefined) return fail(`read(): ${formatErrno(excludes.error)}\n`);
    if (!excludes.opened && excludes.error !== undefined && env.hints) {
      // QUIRK Q08 (dry runs only; a real run refused above): upstream silently includes everything.
      out.err(concatBytes("vhashify: exclude list '", excludeArg, `' could not be opened (${formatErrno(excludes.error)}); nothing is excluded\n`));
    }
    return await traverseGuest({
      guestRoot: guestPath,
      matchList: createMatchList(excludes.rules),
      store: session.store,
      policy: session.policy,
      ...(session.lockSinceNs === undefined ? {} : { lockSinceNs: session.lockSinceNs }),
      rootHint: 'Check the guest directory path (first argument after the options).',
    }, cmd, env);
  } finally {
    sessions.releaseAll();
  }
}
