// `vhashify <vserver>` (and `vserver <name> hashify`): upstream's start-up sequence in vserver mode
// (spec 1.6 step 6), then one traversal.
import type { CommandLine } from '../cli/command-line.js';
import { formatGuestFailureHint, RESOLUTION_FAILED_MESSAGE } from '../config/guest-failure-hint.js';
import { findInstallation, type Installation } from '../config/installation.js';
import { resolveGuest } from '../config/resolve-guest.js';
import { hashifyGuest } from './hashify-guest.js';
import { StoreSessions } from './store-session.js';
import type { RunEnvironment, RunResult } from './traverse-guest.js';

/** The installation the run uses (util-vserver-vars), or its problem printed and undefined. */
export function loadInstallation(env: RunEnvironment): Installation | undefined {
  const found = findInstallation(env.vars ?? {});
  if ('error' in found) {
    env.out.err(found.error);
    return undefined;
  }
  return found;
}

/** Runs vserver mode for the guest named by the first positional. */
export async function runVserver(cmd: CommandLine, env: RunEnvironment): Promise<RunResult> {
  const { out } = env;
  const inst = loadInstallation(env);
  if (inst === undefined) return { exitCode: 1 };
  const resolved = resolveGuest(inst, cmd.positionals[0]!, { cwd: env.cwd, env: env.vars ?? {} });
  if (!resolved.ok) {
    out.err(RESOLUTION_FAILED_MESSAGE);
    const hint = formatGuestFailureHint(resolved.failure);
    if (hint.always || env.hints) out.err(hint.text);
    return { exitCode: 1 };
  }
  // Checked only after the first name was resolved, as upstream does (spec 1.6 step 6.2).
  if (cmd.positionals.length > 1) {
    out.err('More than one vserver is not supported\n');
    if (env.hints) out.err('Name one guest per run, or use --all for every guest that has apps/vunify; options go before the name.\n');
    return { exitCode: 1 };
  }
  const sessions = new StoreSessions(cmd, env);
  try {
    return await hashifyGuest(inst, resolved.guest, cmd, env, sessions);
  } finally {
    sessions.releaseAll();
  }
}
