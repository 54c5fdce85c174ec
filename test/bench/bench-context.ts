// What every job of one benchmark run shares: paths, the exclude decision, and the samples collected so far.
import { join } from 'node:path';
import { createBenchLayout, type BenchLayout } from './bench-dir.js';
import type { SharingReport } from './check-sharing.js';
import type { Sample } from './format-table.js';
import { findExcludeFile } from './jobs.js';
import { createExcludeCheck, type IsExcluded } from './manifest.js';

/** One sharing check and what it found. */
export interface CheckRecord {
  job: string;
  tool: string;
  run: number;
  report: SharingReport;
}

/** The state of one `npm run bench`. */
export interface BenchContext {
  layout: BenchLayout;
  binPath: string;
  /** Upstream's C vhashify for the upstream rows; undefined: none this run. */
  upstreamBin: string | undefined;
  excludeFile: string;
  isExcluded: IsExcluded;
  env: NodeJS.ProcessEnv;
  samples: Sample[];
  checks: CheckRecord[];
  /** Things the reader of the results must know (skipped jobs, scaled-down sizes). */
  notes: string[];
  log: (text: string) => void;
}

/** Sets up the context for a bench directory and a repository checkout. */
export function createBenchContext(benchDir: string, repoRoot: string, env: NodeJS.ProcessEnv, log: (text: string) => void): BenchContext {
  const excludeFile = findExcludeFile(repoRoot);
  return {
    layout: createBenchLayout(benchDir),
    binPath: join(repoRoot, 'bin', 'vhashify'),
    upstreamBin: undefined,
    excludeFile,
    isExcluded: createExcludeCheck(excludeFile),
    env,
    samples: [],
    checks: [],
    notes: [],
    log,
  };
}
