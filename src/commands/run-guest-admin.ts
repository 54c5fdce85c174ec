// The guest administration modes (issue 12: --unhashify, --unshared, --clone, and their --path and
// --package): which one the command line asks for, checked for combinations that mean nothing.
import type { CommandLine } from '../cli/command-line.js';
import { modeOptions } from '../cli/one-mode.js';
import type { RunEnvironment, RunResult } from './traverse-guest.js';

/** Checks the combination, then runs the mode (loaded only when asked for). */
export async function runGuestAdmin(cmd: CommandLine, env: RunEnvironment): Promise<RunResult> {
  const problem = findProblem(cmd);
  if (problem !== undefined) {
    env.out.err(`vhashify: ${problem}\n`);
    return { exitCode: 1 };
  }
  if (cmd.clone) return (await import('./run-clone.js')).runClone(cmd, env);
  if (cmd.unshared) return (await import('./run-unshared.js')).runUnshared(cmd, env);
  return (await import('./run-unhashify.js')).runUnhashify(cmd, env);
}

function findProblem(cmd: CommandLine): string | undefined {
  // Two modes at once were refused before (cli/one-mode.ts).
  const mode = modeOptions(cmd)[0];
  if (mode === undefined || !['--unhashify', '--unshared', '--clone'].includes(mode)) return "'--path' and '--package' go with '--unhashify' or '--unshared'";
  const reportOption = [cmd.json && '--json', cmd.fix && '--fix', cmd.auditSample !== undefined && '--audit-sample'].find((o): o is string => o !== false);
  if (reportOption !== undefined) return `'${reportOption}' does not go with '${mode}'`;
  if (mode === '--clone' && (cmd.paths.length > 0 || cmd.packages.length > 0)) return "'--clone' copies a whole tree: '--path' and '--package' do not go with it";
  if (mode !== '--unhashify' && cmd.all) return `'${mode}' works on one guest: it does not go with '--all'`;
  if (mode !== '--unhashify' && cmd.manual) return `'${mode}' does not go with '--manually'`;
  if (cmd.all && cmd.manual) return "'--all' and '--manually' do not go together: --all works on the configured guests";
  if (cmd.manual && cmd.destination === undefined) return "'--manually' requires '--destination'";
  if (!cmd.all && cmd.positionals.length === 0) return `'${mode}' needs a guest${mode === '--clone' ? ' to clone and a name for the new one' : ''}`;
  return undefined;
}
