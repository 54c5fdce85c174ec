// `vhashify --unshared <vserver> -- COMMAND…`: guest maintenance under a protection that forbids
// replacing shared files (the stock kernel's immutable flag): hold the guest, make its store
// entries private (or those of --path/--package) under the store lock, let the lock go, run the
// command, hashify the guest again, lift the hold. The command's failure still ends re-hashified.
import type { CommandLine } from '../cli/command-line.js';
import { formatHold, liftHold, placeHold } from '../config/guest-hold.js';
import { formatUnsharedSummary } from '../report/admin-lines.js';
import { quoteShellWord } from '../report/shell-quote.js';
import { concatBytes } from '../store/byte-text.js';
import { hashifyGuest } from './hashify-guest.js';
import { runHeldCommand } from './run-held-command.js';
import { resolveOneGuest, unhashifyGuest } from './run-unhashify.js';
import { loadInstallation } from './run-vserver.js';
import { StoreSessions } from './store-session.js';
import type { RunEnvironment, RunResult } from './traverse-guest.js';

const SEPARATOR = Buffer.from('--');

/**
 * Exit status: the command's when it failed; else the second hashify's. 1 without running the
 * command when the guest is held by a running `--unshared` or could not be made private.
 */
export async function runUnshared(cmd: CommandLine, env: RunEnvironment): Promise<RunResult> {
  const { out } = env;
  const [guestArg, separator, ...command] = cmd.positionals;
  if (guestArg === undefined || separator === undefined || !separator.equals(SEPARATOR) || command.length === 0) {
    out.err("vhashify: '--unshared' takes a guest, '--' and a command, and is run directly (not through 'vserver <name> hashify'): vhashify --unshared <vserver> -- <command> [<argument>...]\n");
    return { exitCode: 1 };
  }
  const inst = loadInstallation(env);
  if (inst === undefined) return { exitCode: 1 };
  const oneGuest: CommandLine = { ...cmd, positionals: [guestArg] };
  const guest = resolveOneGuest(inst, oneGuest, env);
  if (guest === undefined) return { exitCode: 1 };
  const commandText = Buffer.concat(command.flatMap((word, i) => (i === 0 ? [quoteShellWord(word)] : [Buffer.from(' '), quoteShellWord(word)])));

  if (cmd.dryRun) {
    const sessions = new StoreSessions(oneGuest, env);
    try {
      const planned = await unhashifyGuest(inst, guest, oneGuest, env, sessions);
      out.out(concatBytes('vhashify: would run: ', commandText, "\nvhashify: then hashify '", guest.name, "' again\n"));
      return { exitCode: planned.exitCode };
    } finally {
      sessions.releaseAll();
    }
  }

  const placed = placeHold(guest.cfgdir, commandText.toString('utf8'));
  if (!placed.ok) {
    out.err(concatBytes("vhashify: guest '", guest.name, `' is already held (${formatHold(placed.held)}); nothing was changed\n`));
    return { exitCode: 1 };
  }
  if (placed.replaced !== undefined) {
    out.err(concatBytes("vhashify: guest '", guest.name, `' had a hold left by a run that did not finish (${formatHold(placed.replaced)}); taking it over\n`));
  }
  try {
    const unsharing = new StoreSessions(oneGuest, env);
    let unshared;
    try {
      unshared = await unhashifyGuest(inst, guest, oneGuest, env, unsharing);
    } finally {
      unsharing.releaseAll(); // the command runs without the store lock: other guests go on
    }
    let commandStatus: number | undefined;
    if (unshared.exitCode === 0) {
      const ran = await runHeldCommand(command, env);
      if (ran.startError !== undefined) out.err(concatBytes('vhashify: cannot run ', commandText, `: ${ran.startError}\n`));
      commandStatus = ran.status;
    } else {
      out.err(concatBytes("vhashify: guest '", guest.name, "' could not be made private completely; the command was not run\n"));
    }
    const again: CommandLine = { ...oneGuest, unshared: false, paths: [], packages: [] };
    const hashifying = new StoreSessions(again, env);
    let rehashed;
    try {
      rehashed = await hashifyGuest(inst, guest, again, env, hashifying);
    } finally {
      hashifying.releaseAll();
    }
    out.out(formatUnsharedSummary(guest.name, unshared.unhashified?.files ?? 0, commandStatus, { exitCode: rehashed.exitCode, linked: rehashed.stats?.linked ?? 0 }));
    if (commandStatus === undefined) return { exitCode: 1 };
    return { exitCode: commandStatus !== 0 ? commandStatus : rehashed.exitCode };
  } finally {
    liftHold(guest.cfgdir);
  }
}
