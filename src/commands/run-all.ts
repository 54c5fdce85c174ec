// `vhashify --all`: every configured guest that has apps/vunify, one after the other, in this one
// process: one start-up, and each store locked and opened once, however many guests share it.
import type { CommandLine } from '../cli/command-line.js';
import { formatHoldNotice, readHold } from '../config/guest-hold.js';
import type { Installation } from '../config/installation.js';
import { listGuests } from '../config/list-guests.js';
import type { Guest } from '../config/resolve-guest.js';
import { concatBytes } from '../store/byte-text.js';
import { hashifyGuest } from './hashify-guest.js';
import { loadInstallation } from './run-vserver.js';
import { StoreSessions } from './store-session.js';
import type { RunEnvironment, RunResult } from './traverse-guest.js';
import { reportResolutionFailure } from './resolve-named-guest.js';

/** What `--all` does to each guest: hashify it, or the step of another mode (`--unhashify`). */
export type GuestStep = (inst: Installation, guest: Guest, cmd: CommandLine, env: RunEnvironment, sessions: StoreSessions) => Promise<RunResult>;

/**
 * Guests in name order; a failing guest does not stop the others. At -v 0 only failures are
 * printed (what cron mails); from -v 1 each guest's own lines, and a line per guest. Exit status 1
 * when any guest failed (75 when a store was busy and --no-wait was given). A guest held by
 * `--unshared` is skipped with a line on stderr (a hold its holder left by dying counts as failed).
 */
export async function runAll(cmd: CommandLine, env: RunEnvironment, step: GuestStep = hashifyGuest): Promise<RunResult> {
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
  const sessions = new StoreSessions(cmd, env);
  let exitCode = 0;
  try {
    for (const listed of guests) {
      if (!listed.optedIn) continue;
      let result: RunResult;
      const hold = listed.resolution.ok ? readHold(listed.resolution.guest.cfgdir) : undefined;
      if (hold !== undefined && listed.resolution.ok) {
        out.err(formatHoldNotice(listed.name, listed.resolution.guest.cfgdir, hold));
        if (hold.stale === true && exitCode === 0) exitCode = 1;
        continue;
      }
      if (!listed.resolution.ok) {
        reportResolutionFailure(env, listed.resolution.failure);
        result = { exitCode: 1 };
      } else {
        result = await step(inst, listed.resolution.guest, cmd, env, sessions);
      }
      if (result.exitCode !== 0) {
        out.err(concatBytes("vhashify: guest '", listed.name, `' failed (exit status ${result.exitCode})\n`));
        exitCode = exitCode === 0 || exitCode === 75 ? result.exitCode : exitCode;
        // An entry shared before is left without its protection: no further guest may link to anything.
        if (result.stopAll === true) break;
      } else if (cmd.verbosity >= 1 && step === hashifyGuest) {
        const linked = result.stats?.linked ?? 0;
        const already = result.stats?.skipped['already unified'] ?? 0;
        out.out(concatBytes("vhashify: guest '", listed.name, `' done: ${linked} files unified, ${already} already unified\n`));
      }
    }
  } finally {
    sessions.releaseAll();
  }
  return { exitCode };
}
