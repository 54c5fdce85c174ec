// `vhashify --overview`: how far each guest in scope is hashified and what its store holds.
// Read-only: nothing is created, locked or changed, and no file content is read.
import type { CommandLine } from '../cli/command-line.js';
import { holdPath, readHold } from '../config/guest-hold.js';
import { createMatchList } from '../exclude/match-list.js';
import { formatOverviewJson, formatOverviewText, type GuestOverview, type OverviewReport, type StoreOverview } from '../report/overview-report.js';
import { formatErrno } from '../report/strerror.js';
import { addStoreFigures, createStoreFigures, measureStoreRoot } from '../store/store-figures.js';
import { openRootDir, releaseDir } from '../walk/dir-handle.js';
import { resolveAdminScope, type AdminGuest, type AdminScope } from './admin-scope.js';
import { decidePolicy } from './choose-protection.js';
import { readGuestRules } from './guest-rules.js';
import { openAdminStore, type OpenedAdminStore } from './open-admin-store.js';
import { tallyGuest } from './tally-guest.js';
import type { RunEnvironment, RunResult } from './traverse-guest.js';

/** Runs the overview; exit status 1 when a guest or a store could not be counted. */
export async function runOverview(cmd: CommandLine, env: RunEnvironment): Promise<RunResult> {
  const resolved = resolveAdminScope('overview', cmd, env);
  if (!resolved.ok) return { exitCode: resolved.exitCode };
  const { scope } = resolved;
  const report: OverviewReport = { guests: [], stores: [] };
  let failed = scope.failed > 0;
  for (const store of scope.stores) {
    const opened = openAdminStore(store, env);
    if (opened === undefined) {
      failed = true;
      continue;
    }
    try {
      const decided = decidePolicy(cmd.protect, store.hashDir, env.vserverKernel);
      const policy = decided.ok ? decided.policy : undefined;
      const flagged = policy === 'immutable' || policy === 'vserver';
      report.stores.push(describeStore(store.printed, opened, policy, flagged));
      for (const g of store.guests) {
        const guest = await describeGuest(g, scope, store.printed, opened, flagged);
        if (guest.figures === undefined) failed = true;
        report.guests.push(guest);
      }
    } finally {
      opened.close();
    }
  }
  env.out.out(cmd.json ? formatOverviewJson(report) : formatOverviewText(report));
  return { exitCode: failed ? 1 : 0 };
}

function describeStore(printed: Buffer | string, opened: OpenedAdminStore, policy: string | undefined, flagged: boolean): StoreOverview {
  const figures = createStoreFigures();
  for (const root of opened.roots) addStoreFigures(figures, measureStoreRoot(root.fd, root.inventory, flagged));
  const overview: StoreOverview = { hashDir: printed, roots: opened.roots.map((r) => Buffer.from(r.path)), figures };
  if (policy !== undefined) overview.policy = policy;
  return overview;
}

async function describeGuest(g: AdminGuest, scope: AdminScope, hashDir: Buffer | string, opened: OpenedAdminStore, flagged: boolean): Promise<GuestOverview> {
  const overview: GuestOverview = { label: g.label, root: g.root, hashDir };
  const hold = g.guest === undefined ? undefined : readHold(g.guest.cfgdir);
  if (hold !== undefined) overview.hold = { ...hold, path: holdPath(g.guest!.cfgdir) };
  const rules = await readGuestRules(scope.inst, g);
  if (!rules.ok) return { ...overview, error: formatOneLine(rules.message) };
  if (rules.note !== undefined) overview.note = rules.note;
  let root;
  try {
    root = openRootDir(g.root);
  } catch (error) {
    return { ...overview, error: Buffer.from(`the guest directory cannot be entered (${formatErrno(error)})`) };
  }
  try {
    overview.figures = tallyGuest(root, createMatchList(rules.rules), opened.roots, flagged);
  } finally {
    releaseDir(root);
  }
  return overview;
}

// Upstream's lines (`failed to determine configfiles`) as one report value.
function formatOneLine(lines: Buffer): Buffer {
  return Buffer.from(lines.toString('latin1').replace(/\n+$/, '').replace(/\n/g, '; '), 'latin1');
}
