// `npm run bench`: measures vhashify against hardlink and the hashing floor, checks every result, writes JSON and a table.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/paths.js';
import { createBenchContext, type BenchContext } from './bench-context.js';
import { findBenchDir } from './bench-dir.js';
import { BENCH_USAGE, formatFileCount, parseBenchOptions, type BenchOptions } from './bench-options.js';
import { formatMarkdownTable, summarizeSamples } from './format-table.js';
import { formatSyntheticTitle, JOB_TITLES } from './jobs.js';
import { TIME_PROGRAM } from './measure.js';
import { runRealGuestJobs } from './real-guest-jobs.js';
import { hasProgram, runCommand } from './run-command.js';
import { computeDistDigest, createProductSnapshot } from './product-snapshot.js';
import { measureStartup } from './startup.js';
import { runSyntheticJobs } from './synthetic-jobs.js';
import { chooseUpstream, type UpstreamChoice } from './upstream.js';

const NEEDED = ['hardlink', TIME_PROGRAM, 'tar', 'find', 'xargs', 'sha1sum', 'rm', 'sync'];

/** Runs the benchmark; returns the exit status (1 when a check or a command failed, 2 for bad arguments). */
export function runBench(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  const parsed = parseBenchOptions(argv);
  if ('error' in parsed) {
    process.stderr.write(`bench: ${parsed.error}\n${BENCH_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }
  const problem = findMissingPrerequisite();
  if (problem !== undefined) {
    process.stderr.write(`bench: ${problem}\n`);
    return 1;
  }
  const log = (text: string): void => void process.stdout.write(`bench: ${text}\n`);
  const ctx = createBenchContext(findBenchDir(env), repoRoot, env, log);
  const upstream = chooseUpstream(parsed.upstream, ctx.layout);
  if ('error' in upstream) {
    process.stderr.write(`bench: ${upstream.error}\n`);
    return 2;
  }
  if ('path' in upstream) ctx.upstreamBin = upstream.path;
  else if (parsed.jobs.includes('J1') || parsed.jobs.includes('J2')) ctx.notes.push(upstream.note);
  mkdirSync(ctx.layout.root, { recursive: true });
  const started = new Date();
  const machine = readMachine();
  ctx.binPath = createProductSnapshot(repoRoot, ctx.layout.productDir);
  const snapshotDist = join(ctx.layout.productDir, 'dist', 'src');
  const productAtStart = readProductVersion(snapshotDist);
  let failure: string | undefined;
  try {
    measureStartup(ctx);
    runRealGuestJobs(ctx, parsed);
    runSyntheticJobs(ctx, parsed);
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  return reportResults(ctx, parsed, started, machine, productAtStart, upstream, failure);
}

function reportResults(
  ctx: BenchContext,
  options: BenchOptions,
  started: Date,
  machine: ReturnType<typeof readMachine>,
  productAtStart: ReturnType<typeof readProductVersion>,
  upstream: UpstreamChoice,
  failure: string | undefined,
): number {
  const titles: Record<string, string> = { ...JOB_TITLES };
  for (const size of options.sizes) titles[`J4-${formatFileCount(size)}`] = formatSyntheticTitle(formatFileCount(size));
  for (const s of ctx.samples) if (s.job.startsWith('J4-')) titles[s.job] ??= formatSyntheticTitle(s.job.slice(3));
  const rows = summarizeSamples(ctx.samples, titles);
  const table = formatMarkdownTable(rows);
  const stamp = started.toISOString().slice(0, 19).replace(/:/g, '-');
  const out = options.out ?? join(ctx.layout.root, `results-${stamp}.json`);
  const results = {
    format: 'vhashify-bench/1',
    started: started.toISOString(),
    finished: new Date().toISOString(),
    options,
    machine: { ...machine, loadavgEnd: loadavg(), uptimeEnd: runCommand('uptime', []).stdout.trim() },
    // We measure a copy taken at the start; the checkout may be rebuilt by others meanwhile.
    product: { atStart: productAtStart, atEnd: readProductVersion(join(ctx.layout.productDir, 'dist', 'src')) },
    upstream: 'path' in upstream ? upstream : undefined,
    failure,
    notes: ctx.notes,
    rows,
    table,
    samples: ctx.samples,
    checks: ctx.checks,
  };
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\n${table}\n`);
  for (const note of ctx.notes) process.stdout.write(`note: ${note}\n`);
  process.stdout.write(`load: ${machine.uptimeStart} (start), ${results.machine.uptimeEnd} (end)\nresults: ${out}\n`);
  if (failure !== undefined) {
    process.stderr.write(`bench: FAILED: ${failure}\nbench: the working copies are kept in ${ctx.layout.workDir} for inspection; the next run removes them\n`);
    return 1;
  }
  return 0;
}

function findMissingPrerequisite(): string | undefined {
  if (process.getuid?.() !== 0) return 'run as root (tar -p, chown of synthetic files, drop_caches)';
  const missing = NEEDED.filter((program) => !hasProgram(program));
  if (missing.length > 0) return `missing programs: ${missing.join(', ')} (apt-get install -y time util-linux findutils tar)`;
  if (!existsSync(join(repoRoot, 'dist', 'src', 'cli', 'main.js'))) return 'the product is not built; run npx tsc -p tsconfig.json';
  return undefined;
}

function readMachine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memGiB: Number((totalmem() / 1024 ** 3).toFixed(1)),
    kernel: release(),
    node: process.version,
    loadavgStart: loadavg(),
    uptimeStart: runCommand('uptime', []).stdout.trim(),
  };
}

function readProductVersion(snapshotDist: string): { commit: string; changedSources: string[]; measuredDigest: string; checkoutDigest: string } {
  const commit = runCommand('git', ['-C', repoRoot, 'rev-parse', 'HEAD']).stdout.trim();
  const changed = runCommand('git', ['-C', repoRoot, 'status', '--porcelain', '--', 'src', 'bin']).stdout.split('\n').filter((l) => l !== '');
  return { commit, changedSources: changed, measuredDigest: computeDistDigest(snapshotDist), checkoutDigest: computeDistDigest(join(repoRoot, 'dist', 'src')) };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = runBench(process.argv.slice(2), process.env);
}
