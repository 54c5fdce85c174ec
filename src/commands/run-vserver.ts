// `vhashify <vserver>` (and `vserver <name> hashify`): upstream's start-up sequence in vserver mode
// (spec 1.6 step 6), then one traversal.
import type { CommandLine } from '../cli/command-line.js';
import { findInstallation, type Installation } from '../config/installation.js';
import { hashifyGuest } from './hashify-guest.js';
import { reportRun } from './report-run.js';
import { StoreSessions } from './store-session.js';
import type { RunEnvironment, RunResult } from './traverse-guest.js';
import { resolveNamedGuest } from './resolve-named-guest.js';

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
  return reportRun(cmd, env, { mode: 'vserver', guest: { name: cmd.positionals[0]! } }, (reported) => hashifyNamedGuest(cmd, reported));
}

async function hashifyNamedGuest(cmd: CommandLine, env: RunEnvironment): Promise<RunResult> {
  const inst = loadInstallation(env);
  if (inst === undefined) return { exitCode: 1 };
  const guest = resolveNamedGuest(inst, cmd, env, 'Name one guest per run, or use --all for every guest that has apps/vunify; options go before the name.\n');
  if (guest === undefined) return { exitCode: 1 };
  const sessions = new StoreSessions(cmd, env);
  try {
    return await hashifyGuest(inst, guest, cmd, env, sessions);
  } finally {
    sessions.releaseAll();
  }
}
