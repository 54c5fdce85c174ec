// J4: synthetic guests at 20k, 200k and 1M files, freshly generated before every measured run.
import { mkdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from './bench-context.js';
import { formatFileCount, type BenchOptions } from './bench-options.js';
import { createStore, TOOL_NAMES } from './jobs.js';
import { readManifest, type GuestDir, type Manifest } from './manifest.js';
import { measureFloor, measureHardlink, measureOurs } from './measure-tools.js';
import { checkRun } from './run-check.js';
import { DEFAULT_SHAPE, planSyntheticGuests, type SyntheticShape } from './synthetic-tree.js';
import { removeTree, syncDisks } from './tree-ops.js';
import { writeSyntheticGuests } from './write-synthetic-tree.js';

const BLOCK = 4096;
/** Room kept free on the file system whatever the size asked for. */
const DISK_MARGIN = 4 * 1024 ** 3;
/** During a run, store copies exist beside the guest files they replace for a moment; allow for it. */
const PEAK_FACTOR = 1.25;

/** Disk space and inodes one synthetic set occupies (allocated blocks, not bytes). */
export function computeSyntheticFootprint(shape: SyntheticShape): { bytes: number; inodes: number } {
  let bytes = 0;
  let inodes = 0;
  const dirs = new Set<string>();
  for (const entry of planSyntheticGuests(shape)) {
    inodes += 1;
    bytes += Math.ceil(entry.size / BLOCK) * BLOCK;
    const path = entry.path.toString('latin1');
    dirs.add(`${entry.guest}${path.slice(0, path.lastIndexOf('/'))}`);
  }
  return { bytes: bytes + dirs.size * BLOCK, inodes: inodes + dirs.size };
}

/** The largest file count that fits the free space, given the footprint of the count asked for. */
export function computeFittingCount(files: number, needBytes: number, needInodes: number, freeBytes: number, freeInodes: number): number {
  const room = Math.min((freeBytes - DISK_MARGIN) / (needBytes * PEAK_FACTOR), (freeInodes * 0.9) / (needInodes * PEAK_FACTOR));
  if (room >= 1) return files;
  return Math.max(0, Math.floor((files * room) / 1000) * 1000);
}

/** Runs J4 for every size (smallest first), scaling a size down with a note when the disk cannot hold it. */
export function runSyntheticJobs(ctx: BenchContext, options: BenchOptions): void {
  if (!options.jobs.includes('J4')) return;
  for (const asked of [...options.sizes].sort((a, b) => a - b)) {
    removeTree(ctx.layout.workDir);
    mkdirSync(ctx.layout.workDir, { recursive: true });
    const need = computeSyntheticFootprint({ ...DEFAULT_SHAPE, files: asked });
    const fs = statfsSync(ctx.layout.workDir);
    const files = computeFittingCount(asked, need.bytes, need.inodes, fs.bavail * fs.bsize, fs.ffree);
    if (files !== asked) {
      const text = `J4 ${formatFileCount(asked)}: needs ${(need.bytes / 1024 ** 3).toFixed(1)} GiB and ${need.inodes} inodes, ` +
        `the disk has ${((fs.bavail * fs.bsize) / 1024 ** 3).toFixed(1)} GiB and ${fs.ffree} free; scaled down to ${files} files`;
      ctx.log(text);
      ctx.notes.push(text);
      if (files < 2) continue;
    }
    runSyntheticSize(ctx, files, options.runs);
  }
}

function runSyntheticSize(ctx: BenchContext, files: number, runs: number): void {
  const job = `J4-${formatFileCount(files)}`;
  const shape: SyntheticShape = { ...DEFAULT_SHAPE, files };
  const guests: GuestDir[] = [0, 1].map((g) => ({ name: `s${g + 1}`, path: join(ctx.layout.guestsDir, `s${g + 1}`) }));
  const dirs = guests.map((g) => g.path);
  let pristine: Manifest | undefined;
  const prepare = (): Manifest => {
    removeTree(ctx.layout.workDir);
    const started = Date.now();
    writeSyntheticGuests(planSyntheticGuests(shape), dirs);
    createStore(ctx.layout);
    ctx.log(`${job}: generated in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    pristine ??= readManifest(guests, ctx.isExcluded);
    syncDisks();
    return pristine;
  };
  for (let run = 1; run <= runs; run += 1) {
    let manifest = prepare();
    measureFloor(ctx, dirs, { job, run, files });
    measureHardlink(ctx, dirs, { job, run, files });
    checkRun(ctx, manifest, guests, 'hardlink', job, TOOL_NAMES.hardlink, run);
    manifest = prepare();
    measureOurs(ctx, dirs, { job, run, files });
    checkRun(ctx, manifest, guests, 'ours', job, TOOL_NAMES.ours, run);
  }
  removeTree(ctx.layout.workDir);
}
