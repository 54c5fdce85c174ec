// Runs the sharing check after a measured run, records it, and stops the benchmark when it fails.
import type { BenchContext } from './bench-context.js';
import { assertSharing, checkTreeSharing, type SharingPolicy } from './check-sharing.js';
import type { GuestDir, Manifest } from './manifest.js';

/** Checks the guests against the pristine manifest; throws when the tool did not reach the expected sharing. */
export function checkRun(ctx: BenchContext, pristine: Manifest, guests: readonly GuestDir[], policy: SharingPolicy, job: string, tool: string, run: number): void {
  const storageRoot = policy === 'hardlink' ? undefined : ctx.layout.storageRoot;
  const report = checkTreeSharing(pristine, guests, ctx.isExcluded, policy, storageRoot);
  ctx.checks.push({ job, tool, run, report });
  assertSharing(report, `${job} run ${run} ${tool}`);
  ctx.log(`${job} run ${run} ${tool}: sharing ok (${report.eligible} of ${report.files} files in ${report.groups} groups)`);
}
