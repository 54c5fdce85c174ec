// `vhashify --all`: every configured guest that has apps/vunify, one after the other, in this one
// process: one start-up, and each store locked and opened once, however many guests share it.
import type { CommandLine } from '../cli/command-line.js';
import { formatHoldNotice, readHold } from '../config/guest-hold.js';
import type { Installation } from '../config/installation.js';
import { listGuests } from '../config/list-guests.js';
import type { Guest } from '../config/resolve-guest.js';
import { concatBytes } from '../store/byte-text.js';
import { hashifyGuest } from './hashify-guest.js';
import { reportRun } from './report-run.js';
import { loadInstallation } from './run-vserver.js';
import { StoreSessions } from './store-session.js';
import type { RunEnvironment, RunResult } from './traverse-guest.js';
import { reportResolutionFailure } from './resolve-named-guest.js';

/** What `--all` does to each guest: hashify it, or the step of another mode (`--unhashify`). */
export type GuestStep = (inst: Installation, guest: Guest, cmd: CommandLine, env: RunEnvironment, sessions: StoreSessions) => Promise<RunResult>;

/**
 * Guests in name order; a failing guest does not stop the others. At -v 0 only failures are
 * printed (what cron mails); with --totals or from -v 1 also, for a hashify run, a line per guest
 * that went well and the total of all (commands/report-run.ts prints those). Exit status 1 when
 * any guest failed (75 when a store was busy and --no-wait was given). A guest held by
 * `--unshared` is skipped with a line on stderr (a hold its holder left by dying counts as failed).
 */
export async function runAll(cmd: CommandLine, env: RunEnvironment, step: GuestStep = hashifyGuest): Promise<RunResult> {
  if (step !== hashifyGuest) return runEachGuest(cmd, env, step);
  return reportRun(cmd, env, { mode: 'all' }, (reported) => runEachGuest(cmd, reported, step));
}

async function runEachGuest(cmd: CommandLine, env: RunEnvironment, step: GuestStep): Promise<RunResult> {
  const { out } = env;
  if (cmd.positionals.length > 0) {
    out.err("vhashify: '--all' takes no guest name\n");
    return { exitCode: 1 };
  }
  const inst = loadInstallation(env);
  if (inst === undefined) return { exitCode: 1 };
  let guests;
  try {
    guests = listGuests(inst, { cwd: env.cwd, env: env.vars ?? {} });
  } catch (error) {
    out.err(concatBytes("vhashify: cannot list the guests in '", inst.confDir, `': ${(error as Error).message}\n`));
    return { exitCode: 1 };
  }
  const optedIn = guests.filter((listed) => listed.optedIn);
  const sessions = new StoreSessions(cmd, env);
  let exitCode = 0;
  try {
    for (const [index, listed] of optedIn.entries()) {
      let result: RunResult;
      const hold = listed.resolution.ok ? readHold(listed.resolution.guest.cfgdir) : undefined;
      if (hold !== undefined && listed.resolution.ok) {
        out.err(formatHoldNotice(listed.name, listed.resolution.guest.cfgdir, hold));
        if (hold.stale === true && exitCode === 0) exitCode = 1;
        continue;
      }
      env.observe?.({ kind: 'guest-begin', name: listed.name, index, count: optedIn.length });
      if (!listed.resolution.ok) {
        reportResolutionFailure(env, listed.resolution.failure);
        result = { exitCode: 1 };
      } else {
        result = await step(inst, listed.resolution.guest, cmd, env, sessions);
      }
      if (result.exitCode !== 0) {
        out.err(concatBytes("vhashify: guest '", listed.name, `' failed (exit status ${result.exitCode})\n`));
        exitCode = exitCode === 0 || exitCode === 75 ? result.exitCode : exitCode;
      }
      env.observe?.({ kind: 'guest-end', exitCode: result.exitCode });
      // An entry shared before is left without its protection: no further guest may link to anything.
      if (result.stopAll === true) break;
    }
  } finally {
    sessions.releaseAll();
  }
  return { exitCode };
}
