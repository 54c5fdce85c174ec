// `--check` of one configured guest: that it can be hashified at all (apps/vunify, its vdir), its
// package config files, its exclude list, its hash dir and store, and that the store covers every
// file system the guest lives on. Stores and lists shared by several guests are checked once.
import { realpathSync } from 'node:fs';
import type { CommandLine } from '../cli/command-line.js';
import { formatGuestFailureHint } from '../config/guest-failure-hint.js';
import type { Installation } from '../config/installation.js';
import { resolveGuest, type Guest } from '../config/resolve-guest.js';
import { createMatchList } from '../exclude/match-list.js';
import type { CheckReport } from '../report/check-report.js';
import { formatQuotedMessage } from '../report/quoted-message.js';
import { quotePath } from '../report/explain-lines.js';
import { quoteShellWord } from '../report/shell-quote.js';
import { concatBytes } from '../store/byte-text.js';
import type { StorageRoot } from '../store/storage-roots.js';
import { checkCoverage } from './check-coverage.js';
import { checkExcludeList } from './check-exclude-list.js';
import { checkHold } from './check-hold.js';
import { checkStore } from './check-store.js';
import { inspectStore } from './inspect-store.js';
import { listGuestRules, readGuestSettings } from './read-guest-settings.js';
import type { RunEnvironment } from './traverse-guest.js';

/** What several guests share, so that it is checked (and reported) once. */
export interface CheckedOnce {
  /** Hash dir path → its usable storage roots. */
  stores: Map<string, StorageRoot[]>;
  /** Exclude files already checked (latin1 keys of their paths). */
  lists: Set<string>;
}

/** Creates the record of what has been checked. */
export function createCheckedOnce(): CheckedOnce {
  return { stores: new Map(), lists: new Set() };
}

/** Checks the guest `name` (as given on the command line) and adds what it finds to `report`. */
export async function checkGuest(
  inst: Installation,
  name: Buffer,
  cmd: CommandLine,
  env: RunEnvironment,
  report: CheckReport,
  once: CheckedOnce,
): Promise<void> {
  report.checked.guests += 1;
  const label = concatBytes('guest ', quotePath(name));
  const guest = resolveForCheck(inst, name, env, label, report);
  if (guest === undefined) return;
  checkHold(guest, label, report);
  const settings = await readGuestSettings(inst, guest, cmd, env);
  if (settings.conffiles?.ok === false) {
    const hint = settings.conffiles.hint === undefined ? undefined : formatQuotedMessage(settings.conffiles.hint);
    report.finding(label, concatBytes('failed to determine configfiles: ', formatQuotedMessage(settings.conffiles.message)), hint);
  }
  const listKey = settings.exclude.path.toString('latin1');
  if (!once.lists.has(listKey)) {
    once.lists.add(listKey);
    checkExcludeList(settings.exclude.path, report, settings.exclude.source === 'packaged'
      ? concatBytes('restore the packaged default list (util-vserver ships it; so does this package, as compat/vunify-exclude), or give the guests a list of their own in ',
        quoteShellWord(concatBytes(inst.confDir, '/.defaults/apps/vunify/exclude')))
      : 'make it a readable file, or remove it to use the next list of the chain');
  }
  if (settings.hashDir === undefined) {
    report.finding(label, 'has no hash directory (no hash-directory configured for this vserver.)', concatBytes(
      'mkdir -p ', quoteShellWord(concatBytes(inst.confDir, '/.defaults/apps/vunify/hash')), ' && ln -s ',
      quoteShellWord(concatBytes(inst.vserverDir, '/.hash')), ' ', quoteShellWord(concatBytes(inst.confDir, '/.defaults/apps/vunify/hash/root')),
    ));
    return;
  }
  const hashDir = settings.hashDir.path.toString('utf8');
  let roots = once.stores.get(hashDir);
  if (roots === undefined) {
    roots = checkStore(inspectStore(hashDir, settings.hashDir.printed, cmd.protect, env.vserverKernel), `${inst.vserverDir.toString('utf8')}/.hash`, report, env.vserverKernel);
    once.stores.set(hashDir, roots);
  }
  if (roots.length === 0) return;
  const matchList = createMatchList(listGuestRules(settings));
  checkCoverage({ label, root: guest.vdir, decide: (p) => matchList.decide(p), storeSites: [inst.vserverDir] }, hashDir, settings.hashDir.printed, roots, report);
}

/**
 * The guest as a run resolves it. Without apps/vunify (QUIRK Q05) that is a finding, and the rest
 * is checked as if it existed (its lookups then fall through to .defaults).
 */
function resolveForCheck(inst: Installation, name: Buffer, env: RunEnvironment, label: Buffer, report: CheckReport): Guest | undefined {
  const resolved = resolveGuest(inst, name, { cwd: env.cwd, env: env.vars ?? {} });
  if (resolved.ok) return resolved.guest;
  const { failure } = resolved;
  const hint = formatGuestFailureHint(failure).text.toString('latin1').replace(/^vhashify: /, '').trimEnd();
  if (failure.kind !== 'no-appdir') {
    report.finding(label, Buffer.from(`cannot be hashified: ${hint}`, 'latin1'));
    return undefined;
  }
  report.finding(label, concatBytes('has no ', quotePath(failure.appdir), ', so hashify refuses it (QUIRK Q05; --all leaves it out)'), concatBytes('mkdir -p ', quoteShellWord(failure.appdir)));
  let vdir: Buffer;
  try {
    vdir = realpathSync.native(concatBytes(failure.cfgdir, '/vdir'), { encoding: 'buffer' });
  } catch {
    return undefined;
  }
  return { name, style: 'short', cfgdir: failure.cfgdir, vdir, appdir: failure.appdir, printed: { cfgdir: failure.cfgdir, appdir: failure.appdir } };
}
