// Which guests and stores a store administration mode works on: the guest named (vserver mode, as
// `vserver <name> hashify --overview` passes it), every opted-in guest (`--all`), or manual mode's
// hash directory and paths. Each store once, with the guests that use it.
import type { CommandLine } from '../cli/command-line.js';
import { findHashDir } from '../config/find-hash-dir.js';
import type { Installation } from '../config/installation.js';
import { listGuests } from '../config/list-guests.js';
import { computeBaseDir, resolveGuest, type Guest } from '../config/resolve-guest.js';
import { quoteShellWord } from '../report/shell-quote.js';
import { concatBytes } from '../store/byte-text.js';
import { resolveHashDir } from '../store/hash-config.js';
import { loadInstallation } from './run-vserver.js';
import type { StoreAdminMode } from './store-admin-mode.js';
import type { RunEnvironment } from './traverse-guest.js';
import { reportResolutionFailure } from './resolve-named-guest.js';

/** One guest a mode looks at. */
export interface AdminGuest {
  /** How reports name it: the guest's name (vserver mode), or the path as given (manual mode). */
  label: Buffer;
  /** The directory to walk. */
  root: Buffer;
  /** Vserver mode: the resolved guest (its exclude list and package configuration files). */
  guest?: Guest;
  /** Manual mode: the exclude list as given (`''`: none). */
  excludeList?: Buffer;
}

/** One store (hash dir) and the guests in scope that use it. */
export interface AdminStore {
  hashDir: string;
  /** The hash dir as upstream prints it. */
  printed: Buffer | string;
  guests: AdminGuest[];
}

/** The stores to work on; `failed`: guests that could not be resolved (their lines are out; exit 1). */
export interface AdminScope {
  inst?: Installation;
  stores: AdminStore[];
  failed: number;
  /** Where a store belongs when a hash dir is found to be its own storage root (spec 5.5). */
  suggestedStore: string;
}

/** The scope, or the exit status after the lines saying why there is none. */
export type AdminScopeOutcome = { ok: true; scope: AdminScope } | { ok: false; exitCode: number };

/** Reads the command line's guests and stores for `mode` (the `--all`/`--manually` clash is main's). */
export function resolveAdminScope(mode: StoreAdminMode, cmd: CommandLine, env: RunEnvironment): AdminScopeOutcome {
  if (cmd.manual) return resolveManualScope(mode, cmd, env);
  const inst = loadInstallation(env);
  if (inst === undefined) return { ok: false, exitCode: 1 };
  const scope: AdminScope = { inst, stores: [], failed: 0, suggestedStore: `${inst.vserverDir.toString('utf8')}/.hash` };
  const ctx = { cwd: env.cwd, env: env.vars ?? {} };
  if (cmd.all) {
    if (cmd.positionals.length > 0) return refuse(env, "vhashify: '--all' takes no guest name\n");
    let listed;
    try {
      listed = listGuests(inst, ctx);
    } catch (error) {
      return refuse(env, concatBytes("vhashify: cannot list the guests in '", inst.confDir, `': ${(error as Error).message}\n`));
    }
    for (const entry of listed) {
      if (!entry.optedIn) continue;
      if (!entry.resolution.ok) {
        reportResolutionFailure(env, entry.resolution.failure);
        scope.failed += 1;
      } else if (!addGuest(scope, inst, entry.resolution.guest, cmd, env)) scope.failed += 1;
    }
    return { ok: true, scope };
  }
  const [name] = cmd.positionals;
  if (name === undefined) return refuse(env, 'No directory/vserver given\n', `Name a guest (vhashify --${mode} <vserver>), or use --all.\n`);
  const resolved = resolveGuest(inst, name, ctx);
  if (!resolved.ok) {
    reportResolutionFailure(env, resolved.failure);
    return { ok: false, exitCode: 1 };
  }
  if (cmd.positionals.length > 1) return refuse(env, 'More than one vserver is not supported\n', 'Name one guest, or use --all; options go before the name.\n');
  if (!addGuest(scope, inst, resolved.guest, cmd, env)) return { ok: false, exitCode: 1 };
  return { ok: true, scope };
}

/**
 * `--manually --destination H`: `--overview` takes `<path> <excludelist>` as a run does; `--audit`
 * any number of guest paths to look for names of damaged entries in; `--gc` none.
 */
function resolveManualScope(mode: StoreAdminMode, cmd: CommandLine, env: RunEnvironment): AdminScopeOutcome {
  if (cmd.destination === undefined) return refuse(env, "'--manually' requires '--destination'\n", 'Name the hash directory with --destination <hashdir>.\n');
  const hashDir = resolveHashDir(cmd.destination, env.cwd);
  const store: AdminStore = { hashDir, printed: hashDir, guests: [] };
  const scope: AdminScope = { stores: [store], failed: 0, suggestedStore: '/vservers/.hash' };
  const paths = cmd.positionals;
  if (mode === 'gc') {
    if (paths.length > 0) return refuse(env, "vhashify: '--gc' takes no path in manual mode: it works on the hash directory alone\n");
  } else if (mode === 'overview') {
    const [guestPath, excludeList] = paths;
    if (guestPath === undefined) return refuse(env, 'No directory/vserver given\n', 'Give the guest directory and its exclude list after the options.\n');
    if (excludeList === undefined) return refuse(env, 'No exclude list specified\n', 'Give the exclude list as the second path (an empty string means none).\n');
    if (paths.length > 2) return refuse(env, "vhashify: '--overview' takes one guest directory and its exclude list in manual mode\n");
    store.guests.push({ label: guestPath, root: guestPath, excludeList });
  } else {
    for (const path of paths) store.guests.push({ label: path, root: path });
  }
  return { ok: true, scope };
}

/** Adds the guest to the store its hash dir names; false (lines printed) when it has none. */
function addGuest(scope: AdminScope, inst: Installation, guest: Guest, cmd: CommandLine, env: RunEnvironment): boolean {
  const choice = findHashDir(inst, guest, cmd.destination, computeBaseDir({ cwd: env.cwd, env: env.vars ?? {} }));
  if (choice === undefined) {
    env.out.err('no hash-directory configured for this vserver.\n');
    if (env.hints) env.out.err(concatBytes('Give the guests a hash directory, e.g.: mkdir -p ', quoteShellWord(concatBytes(inst.confDir, '/.defaults/apps/vunify/hash')), '\n'));
    return false;
  }
  const hashDir = choice.path.toString('utf8');
  let store = scope.stores.find((s) => s.hashDir === hashDir);
  if (store === undefined) {
    store = { hashDir, printed: choice.printed, guests: [] };
    scope.stores.push(store);
  }
  store.guests.push({ label: guest.name, root: guest.vdir, guest });
  return true;
}

function refuse(env: RunEnvironment, message: string | Buffer, hint?: string): AdminScopeOutcome {
  env.out.err(message);
  if (hint !== undefined && env.hints) env.out.err(hint);
  return { ok: false, exitCode: 1 };
}
