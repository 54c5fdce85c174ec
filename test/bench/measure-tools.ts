// Measures our tool and the baselines on prepared trees, records samples, and stops on any failure.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from './bench-context.js';
import { formatFloorCommand, formatHardlinkCommand, type CommandLine } from './baselines.js';
import { createInstallation, createOursEnv, formatAllCommand, formatOursCommands, formatUpstreamCommands, TOOL_NAMES, type ToolRole } from './jobs.js';
import type { Sample } from './format-table.js';
import { combineSequential, measureCommand, type Measurement } from './measure.js';

/** Which sample a measurement becomes. */
export interface SampleLabel {
  job: string;
  run: number;
  files: number;
  /** Tool name override (hardlink's re-run). */
  tool?: string;
}

/** Our tool over every guest, one process per guest, counted as one run. */
export function measureOurs(ctx: BenchContext, guestDirs: readonly string[], label: SampleLabel, extraOptions: readonly string[] = []): Measurement {
  const commands = formatOursCommands(ctx.binPath, ctx.layout, ctx.excludeFile, guestDirs, extraOptions);
  const env = createOursEnv(ctx.layout, ctx.env);
  const tag = extraOptions.length === 0 ? 'ours' : `ours${extraOptions.join('')}`;
  const logNames = commands.map((_, k) => `${label.job}-${tag}-${label.run}-g${k + 1}`);
  const parts = commands.map((command, k) => runMeasured(ctx, command, env, logNames[k]!));
  return recordSample(ctx, 'ours', combineSequential(parts), label, readDurableCost(ctx, logNames));
}

/** Our tool over every guest of an installation in one process (`vhashify --all`). */
export function measureOursAll(ctx: BenchContext, guestDirs: readonly string[], label: SampleLabel): Measurement {
  const env = { ...createOursEnv(ctx.layout, ctx.env), ...createInstallation(ctx.layout, ctx.excludeFile, guestDirs) };
  const logName = `${label.job}-ours-all-${label.run}`;
  const measured = runMeasured(ctx, formatAllCommand(ctx.binPath), env, logName);
  return recordSample(ctx, 'ours', measured, label, readDurableCost(ctx, [logName]));
}

/** Upstream's C vhashify over every guest, one process per guest like ours, counted as one run. */
export function measureUpstream(ctx: BenchContext, guestDirs: readonly string[], label: SampleLabel, extraOptions: readonly string[] = []): Measurement {
  if (ctx.upstreamBin === undefined) throw new Error('measureUpstream: no upstream binary');
  const commands = formatUpstreamCommands(ctx.upstreamBin, ctx.layout, ctx.excludeFile, guestDirs, extraOptions);
  const tag = `upstream${extraOptions.join('')}`;
  const parts = commands.map((command, k) => runMeasured(ctx, command, ctx.env, `${label.job}-${tag}-${label.run}-g${k + 1}`));
  return recordSample(ctx, 'upstream', combineSequential(parts), label);
}

/** util-linux hardlink over all guests at once. */
export function measureHardlink(ctx: BenchContext, guestDirs: readonly string[], label: SampleLabel): Measurement {
  const measured = runMeasured(ctx, formatHardlinkCommand(guestDirs), ctx.env, `${label.job}-hardlink-${label.run}${label.tool === undefined ? '' : '-rerun'}`);
  return recordSample(ctx, 'hardlink', measured, label);
}

/** The hashing floor over the same files. */
export function measureFloor(ctx: BenchContext, guestDirs: readonly string[], label: SampleLabel): Measurement {
  return recordSample(ctx, 'floor', runMeasured(ctx, formatFloorCommand(guestDirs), ctx.env, `${label.job}-floor-${label.run}`), label);
}

function runMeasured(ctx: BenchContext, command: CommandLine, env: NodeJS.ProcessEnv, logName: string): Measurement {
  mkdirSync(ctx.layout.logDir, { recursive: true });
  const stdoutPath = join(ctx.layout.logDir, `${logName}.out`);
  const stderrPath = join(ctx.layout.logDir, `${logName}.err`);
  const measured = measureCommand(command.file, command.args, { env, stdoutPath, stderrPath });
  const stderr = readFileSync(stderrPath, 'utf8');
  if (measured.exitCode !== 0) {
    throw new Error(`${[command.file, ...command.args].join(' ')} exited with ${measured.exitCode}:\n${stderr.slice(0, 4000)}`);
  }
  // vhashify exits 0 even when single files fail (upstream Q35); the sharing check will say whether it matters.
  if (stderr.trim() !== '') ctx.log(`warning: ${logName} wrote to stderr (see ${stderrPath}):\n${stderr.slice(0, 1000)}`);
  return measured;
}

/** The sync cost our runs report in their --json documents (one per process), summed. */
function readDurableCost(ctx: BenchContext, logNames: readonly string[]): Sample['durable'] {
  const total = { syncs: 0, waitS: 0 };
  for (const name of logNames) {
    const document = JSON.parse(readFileSync(join(ctx.layout.logDir, `${name}.out`), 'utf8')) as { totals: { durableSyncs: number; durableWaitSeconds: number } | null };
    total.syncs += document.totals?.durableSyncs ?? 0;
    total.waitS += document.totals?.durableWaitSeconds ?? 0;
  }
  return total;
}

function recordSample(ctx: BenchContext, role: ToolRole, m: Measurement, label: SampleLabel, durable?: Sample['durable']): Measurement {
  const tool = label.tool ?? TOOL_NAMES[role];
  const sample: Sample = { job: label.job, role, tool, run: label.run, wallS: m.wallS, cpuS: m.cpuS, maxRssKiB: m.maxRssKiB, files: label.files };
  if (durable !== undefined) sample.durable = durable;
  ctx.samples.push(sample);
  ctx.log(`${label.job} run ${label.run} ${tool}: ${m.wallS.toFixed(2)} s wall, ${m.cpuS.toFixed(2)} s CPU, ${(m.maxRssKiB / 1024).toFixed(0)} MiB peak`);
  return m;
}
