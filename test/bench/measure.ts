// Measures one command: wall time (ours), CPU time and peak RSS (from wait4 rusage, reported by GNU time).
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What one measured command cost. */
export interface Measurement {
  wallS: number;
  /** User plus system CPU of the command and every child it waited for. */
  cpuS: number;
  /** The largest resident set of any single process of the command, in KiB. */
  maxRssKiB: number;
  exitCode: number;
}

/** The GNU time format we parse: elapsed, user, system, max RSS (KiB), exit status. */
export const TIME_FORMAT = '%e %U %S %M %x';

/** GNU time, which reports the rusage of the command and its waited-for children. */
export const TIME_PROGRAM = '/usr/bin/time';

/** Parses what GNU time wrote with TIME_FORMAT (a "Command exited/terminated…" line may come first). */
export function parseTimeOutput(text: string): { userS: number; sysS: number; maxRssKiB: number; exitCode: number } {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const fields = (lines[lines.length - 1] ?? '').split(/\s+/);
  const numbers = fields.map(Number);
  if (fields.length !== 5 || numbers.some((n) => !Number.isFinite(n))) throw new Error(`unexpected GNU time output: ${JSON.stringify(text)}`);
  const [, userS, sysS, maxRssKiB, exitCode] = numbers as [number, number, number, number, number];
  return { userS, sysS, maxRssKiB, exitCode };
}

/** Where a measured command's output goes, and its environment. */
export interface MeasureOptions {
  env?: NodeJS.ProcessEnv;
  stdoutPath?: string;
  stderrPath?: string;
}

/** Runs `file args…` under GNU time; the wall time is taken here with a monotonic clock. */
export function measureCommand(file: string, args: readonly string[], options: MeasureOptions = {}): Measurement {
  const timeFile = join(tmpdir(), `vhashify-bench-time-${process.pid}.txt`);
  const out = openSync(options.stdoutPath ?? '/dev/null', 'w');
  const err = openSync(options.stderrPath ?? '/dev/null', 'w');
  try {
    const start = process.hrtime.bigint();
    const result = spawnSync(TIME_PROGRAM, ['-f', TIME_FORMAT, '-o', timeFile, file, ...args], { stdio: ['ignore', out, err], env: options.env ?? process.env });
    const wallS = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.error !== undefined) throw new Error(`${TIME_PROGRAM}: ${result.error.message}`);
    const parsed = parseTimeOutput(readFileSync(timeFile, 'utf8'));
    return { wallS, cpuS: parsed.userS + parsed.sysS, maxRssKiB: parsed.maxRssKiB, exitCode: result.status ?? 128 };
  } finally {
    closeSync(out);
    closeSync(err);
    rmSync(timeFile, { force: true });
  }
}

/** Commands run one after the other count as one: times add up, the peak is the largest peak. */
export function combineSequential(parts: readonly Measurement[]): Measurement {
  return {
    wallS: parts.reduce((sum, m) => sum + m.wallS, 0),
    cpuS: parts.reduce((sum, m) => sum + m.cpuS, 0),
    maxRssKiB: parts.reduce((max, m) => Math.max(max, m.maxRssKiB), 0),
    exitCode: parts.find((m) => m.exitCode !== 0)?.exitCode ?? 0,
  };
}
