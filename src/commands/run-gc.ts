// `vhashify --gc`: takes out of each store in scope what no guest links any more (entries with no
// link outside the store), what crashed runs left (placeholders, temporaries) and the fan-out
// directories that are then empty. Holds the store lock throughout, so no run links to an entry
// while it goes; with -n it lists, changes nothing and waits for nobody.
import type { CommandLine } from '../cli/command-line.js';
import { formatGcJson, formatGcLine, formatGcSummary, formatStrayLine, type GcStoreReport } from '../report/gc-report.js';
import { concatBytes } from '../store/byte-text.js';
import { planGarbage } from '../store/plan-garbage.js';
import { removeGarbageItem } from '../store/remove-garbage.js';
import { resolveAdminScope, type AdminStore } from './admin-scope.js';
import { openAdminStore } from './open-admin-store.js';
import { refuseLayoutProblems } from './refuse-misconfiguration.js';
import { takeStoreLock } from './take-store-lock.js';
import type { RunEnvironment, RunResult } from './traverse-guest.js';

/** Runs gc; exit status 1 when something could not be removed or a store not opened, 75 when busy with --no-wait. */
export async function runGc(cmd: CommandLine, env: RunEnvironment): Promise<RunResult> {
  const resolved = resolveAdminScope('gc', cmd, env);
  if (!resolved.ok) return { exitCode: resolved.exitCode };
  const { scope } = resolved;
  const reports: GcStoreReport[] = [];
  let exitCode = scope.failed > 0 ? 1 : 0;
  for (const store of scope.stores) {
    const outcome = await collectStore(store, scope.suggestedStore, cmd, env);
    if (typeof outcome === 'number') {
      if (exitCode === 0 || outcome !== 75) exitCode = outcome;
      continue;
    }
    reports.push(outcome);
    if (outcome.failed.length > 0) exitCode = 1;
  }
  if (cmd.json) env.out.out(formatGcJson(reports, cmd.dryRun));
  return { exitCode };
}

/** One store under its lock: the report, or the exit status of a store that could not be collected. */
async function collectStore(store: AdminStore, suggestedStore: string, cmd: CommandLine, env: RunEnvironment): Promise<GcStoreReport | number> {
  const { out } = env;
  // A hash dir that is itself a storage root would have its own fan-out taken for roots (spec 5.5).
  const refused = refuseLayoutProblems(store.hashDir, suggestedStore);
  if (refused !== undefined) {
    out.err(refused.message);
    return 1;
  }
  const locked = await takeStoreLock(store.hashDir, cmd, out);
  if (locked.kind === 'busy') return 75;
  try {
    const opened = openAdminStore(store, env);
    if (opened === undefined) return 1;
    const report: GcStoreReport = { hashDir: store.printed, removed: [], freedBytes: 0n, failed: [], strays: [] };
    try {
      for (const root of opened.roots) {
        const plan = planGarbage(root.fd, root.inventory);
        for (const item of plan.items) {
          const path = concatBytes(root.path, item.name);
          const done = cmd.dryRun ? { ok: true as const } : removeGarbageItem(root.fd, item);
          if (done.ok) {
            report.removed.push({ kind: item.kind, path });
            report.freedBytes += item.bytes;
            if (!cmd.json && (cmd.dryRun || cmd.verbosity >= 1)) out.out(formatGcLine(item.kind, path, cmd.dryRun));
          } else if (!('skipped' in done)) {
            report.failed.push({ path, reason: done.reason });
            out.err(concatBytes("vhashify: '", path, `' was not removed: ${done.reason}\n`));
          }
        }
        for (const stray of plan.strays) {
          const path = concatBytes(root.path, stray);
          report.strays.push(path);
          if (!cmd.json && cmd.verbosity >= 1) out.out(formatStrayLine(path));
        }
      }
    } finally {
      opened.close();
    }
    if (!cmd.json) out.out(formatGcSummary(report, cmd.dryRun));
    return report;
  } finally {
    if (locked.lock !== undefined) locked.lock.release();
  }
}
