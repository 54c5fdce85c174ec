// Start-up cost: `vhashify --version`, ten measured runs after one unmeasured warm-up.
import type { BenchContext } from './bench-context.js';
import { measureCommand } from './measure.js';

/** How many measured `--version` runs the median is taken over. */
export const STARTUP_RUNS = 10;

/** Measures `bin/vhashify --version`, run as installed (through its `#!` line), one sample per run. */
export function measureStartup(ctx: BenchContext): void {
  const run = (): ReturnType<typeof measureCommand> => {
    const m = measureCommand(ctx.binPath, ['--version'], { env: ctx.env });
    if (m.exitCode !== 0) throw new Error(`vhashify --version exited with ${m.exitCode}`);
    return m;
  };
  run();
  for (let k = 1; k <= STARTUP_RUNS; k += 1) {
    const m = run();
    ctx.samples.push({ job: 'startup', role: 'ours', tool: 'vhashify --version', run: k, wallS: m.wallS, cpuS: m.cpuS, maxRssKiB: m.maxRssKiB, files: 0 });
  }
}
