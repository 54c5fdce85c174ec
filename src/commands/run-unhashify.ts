// `vhashify --unhashify`: a guest (by name, as vserver mode resolves it; `--all` for every opted-in
// guest), or with `--manually --destination` a tree given by path; narrowed by --path/--package.
import type { CommandLine } from '../cli/command-line.js';
import type { Installation } from '../config/installation.js';
import type { Guest } from '../config/resolve-guest.js';
import { resolveHashDir } from '../store/hash-config.js';
import { acquireGuestStore } from './guest-store.js';
import { runAll } from './run-all.js';
import { loadInstallation } from './run-vserver.js';
import { computeSelection } from './select-paths.js';
import { StoreSessions } from './store-session.js';
import type { RunEnvironment } from './traverse-guest.js';
import { unhashifyAt, type UnhashifyResult } from './unhashify-at.js';
import { resolveNamedGuest } from './resolve-named-guest.js';

/** Runs --unhashify in the form the command line asks for. */
export async function runUnhashify(cmd: CommandLine, env: RunEnvironment): Promise<UnhashifyResult> {
  if (cmd.all) return runAll(cmd, env, unhashifyGuest);
  if (cmd.manual) return unhashifyManually(cmd, env);
  const inst = loadInstallation(env);
  if (inst === undefined) return { exitCode: 1 };
  const guest = resolveOneGuest(inst, cmd, env);
  if (guest === undefined) return { exitCode: 1 };
  const sessions = new StoreSessions(cmd, env);
  try {
    return await unhashifyGuest(inst, guest, cmd, env, sessions);
  } finally {
    sessions.releaseAll();
  }
}

/** The guest named by the only positional, or undefined after the message (vserver mode's). */
export function resolveOneGuest(inst: Installation, cmd: CommandLine, env: RunEnvironment): Guest | undefined {
  return resolveNamedGuest(inst, cmd, env, 'Name one guest, or use --all; options go before the name.\n');
}

/** One resolved guest, its store taken from `sessions` (shared by `--all`). */
export async function unhashifyGuest(inst: Installation, guest: Guest, cmd: CommandLine, env: RunEnvironment, sessions: StoreSessions): Promise<UnhashifyResult> {
  const selection = await computeSelection(guest.vdir, cmd, guest, env);
  if (selection === undefined) return { exitCode: 1 };
  const acquired = await acquireGuestStore(inst, guest, cmd, env, sessions);
  if (!acquired.ok) return { exitCode: acquired.exitCode };
  return unhashifyAt({ treeRoot: guest.vdir, label: guest.name, selection, session: acquired.session }, cmd, env);
}

// `--manually --destination H --unhashify TREE [EXCLUDELIST]`: the list, if given, is not needed.
async function unhashifyManually(cmd: CommandLine, env: RunEnvironment): Promise<UnhashifyResult> {
  const tree = cmd.positionals[0]!;
  const selection = await computeSelection(tree, cmd, undefined, env);
  if (selection === undefined) return { exitCode: 1 };
  const hashDir = resolveHashDir(cmd.destination ?? '', env.cwd);
  const sessions = new StoreSessions(cmd, env);
  try {
    const acquired = await sessions.acquire({ hashDir, printed: hashDir });
    if (!acquired.ok) return { exitCode: acquired.exitCode };
    return await unhashifyAt({ treeRoot: tree, label: tree, selection, session: acquired.session }, cmd, env);
  } finally {
    sessions.releaseAll();
  }
}
