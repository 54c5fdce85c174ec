// J1–J3 on the three real guests: fresh copies from the pristine tarballs before every measured run.
import { join } from 'node:path';
import type { BenchContext } from './bench-context.js';
import type { BenchOptions } from './bench-options.js';
import { formatTarballPath } from './bench-dir.js';
import { GUEST_SPECS, hasAllTarballs } from './debootstrap-guests.js';
import { createStore, IN_PLACE_TOOL, TOOL_NAMES } from './jobs.js';
import { readManifest, type GuestDir, type Manifest } from './manifest.js';
import { measureFloor, measureHardlink, measureOurs, measureOursAll } from './measure-tools.js';
import { checkRun } from './run-check.js';
import { measureUpstreamJ1 } from './upstream.js';
import { dropCaches, extractTarball, removeTree, syncDisks } from './tree-ops.js';

const RERUN = `${TOOL_NAMES.hardlink} (re-run)`;

/** Runs the selected real-guest jobs `runs` times; samples and checks go into the context. */
export function runRealGuestJobs(ctx: BenchContext, options: BenchOptions): void {
  const want = (job: string): boolean => (options.jobs as string[]).includes(job);
  if (!want('J1') && !want('J2') && !want('J3')) return;
  if (!hasAllTarballs(ctx.layout)) throw new Error(`the real guests are missing in ${ctx.layout.pristineDir}; run: npm run bench:setup`);
  if (want('J2') && !want('J1')) ctx.notes.push('J2 needs J1 first; J1 was measured too.');
  const guests: GuestDir[] = GUEST_SPECS.map((spec) => ({ name: spec.name, path: join(ctx.layout.guestsDir, spec.name) }));
  const dirs = guests.map((g) => g.path);
  let pristine: Manifest | undefined;
  const prepare = (): Manifest => {
    removeTree(ctx.layout.workDir);
    for (const spec of GUEST_SPECS) extractTarball(formatTarballPath(ctx.layout, spec.name), join(ctx.layout.guestsDir, spec.name));
    createStore(ctx.layout);
    pristine ??= readManifest(guests, ctx.isExcluded);
    syncDisks();
    return pristine;
  };

  for (let run = 1; run <= options.runs; run += 1) {
    if (want('J1') || want('J2')) {
      let manifest = prepare();
      const files = manifest.size;
      measureOurs(ctx, dirs, { job: 'J1', run, files });
      checkRun(ctx, manifest, guests, 'ours', 'J1', TOOL_NAMES.ours, run);
      if (want('J2')) {
        measureOursAll(ctx, dirs, { job: 'J2', run, files });
        checkRun(ctx, manifest, guests, 'ours', 'J2', TOOL_NAMES.ours, run);
        if (dropCaches()) {
          measureOursAll(ctx, dirs, { job: 'J2-cold', run, files });
          checkRun(ctx, manifest, guests, 'ours', 'J2-cold', TOOL_NAMES.ours, run);
        }
      }
      manifest = prepare();
      measureFloor(ctx, dirs, { job: 'J1', run, files });
      measureHardlink(ctx, dirs, { job: 'J1', run, files });
      checkRun(ctx, manifest, guests, 'hardlink', 'J1', TOOL_NAMES.hardlink, run);
      if (want('J2')) {
        measureHardlink(ctx, dirs, { job: 'J2', run, files, tool: RERUN });
        checkRun(ctx, manifest, guests, 'hardlink', 'J2', RERUN, run);
        if (dropCaches()) {
          measureHardlink(ctx, dirs, { job: 'J2-cold', run, files, tool: RERUN });
          checkRun(ctx, manifest, guests, 'hardlink', 'J2-cold', RERUN, run);
        }
      }
      measureUpstreamJ1(ctx, prepare, guests, run);
      // For comparison: in-place mode does hardlink's kind of work (no copies, nothing freed).
      manifest = prepare();
      measureOurs(ctx, dirs, { job: 'J1', run, files, tool: IN_PLACE_TOOL }, ['--sledgehammer']);
      checkRun(ctx, manifest, guests, 'ours', 'J1', IN_PLACE_TOOL, run);
    }
    if (want('J3')) runColdOnce(ctx, prepare, guests, run);
  }
  removeTree(ctx.layout.workDir);
}

function runColdOnce(ctx: BenchContext, prepare: () => Manifest, guests: readonly GuestDir[], run: number): void {
  const dirs = guests.map((g) => g.path);
  let manifest = prepare();
  if (!dropCaches()) {
    if (run === 1) ctx.notes.push('J3 skipped: /proc/sys/vm/drop_caches is not writable here.');
    return;
  }
  const files = manifest.size;
  measureOurs(ctx, dirs, { job: 'J3', run, files });
  checkRun(ctx, manifest, guests, 'ours', 'J3', TOOL_NAMES.ours, run);
  manifest = prepare();
  dropCaches();
  measureFloor(ctx, dirs, { job: 'J3', run, files });
  dropCaches();
  measureHardlink(ctx, dirs, { job: 'J3', run, files });
  checkRun(ctx, manifest, guests, 'hardlink', 'J3', TOOL_NAMES.hardlink, run);
}
