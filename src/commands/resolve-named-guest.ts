// The guest a mode names by its first positional, resolved as vserver mode resolves it (spec 1.6
// step 6), with upstream's messages and our hint when it cannot be.
import type { CommandLine } from '../cli/command-line.js';
import { formatGuestFailureHint, RESOLUTION_FAILED_MESSAGE } from '../config/guest-failure-hint.js';
import type { Installation } from '../config/installation.js';
import { resolveGuest, type Guest, type GuestFailure } from '../config/resolve-guest.js';
import type { RunEnvironment } from './traverse-guest.js';

/** Upstream's line for a guest that cannot be resolved, then ours saying what to fix. */
export function reportResolutionFailure(env: RunEnvironment, failure: GuestFailure): void {
  env.out.err(RESOLUTION_FAILED_MESSAGE);
  const hint = formatGuestFailureHint(failure);
  if (hint.always || env.hints) env.out.err(hint.text);
}

/**
 * The guest named by the first positional, or undefined once the messages are out. More names are
 * refused only after the first one resolved, as upstream does (spec 1.6 step 6.2); `moreNamesHint`
 * is the line of advice that follows then.
 */
export function resolveNamedGuest(inst: Installation, cmd: CommandLine, env: RunEnvironment, moreNamesHint: string): Guest | undefined {
  const resolved = resolveGuest(inst, cmd.positionals[0]!, { cwd: env.cwd, env: env.vars ?? {} });
  if (!resolved.ok) {
    reportResolutionFailure(env, resolved.failure);
    return undefined;
  }
  if (cmd.positionals.length > 1) {
    env.out.err('More than one vserver is not supported\n');
    if (env.hints) env.out.err(moreNamesHint);
    return undefined;
  }
  return resolved.guest;
}
