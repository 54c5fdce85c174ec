// The reports around a run of any mode, each a consumer of the run's events: the figures for
// `--totals` and `--json`, `--all`'s line per guest, the progress line on a terminal and the record
// of counts its ETA comes from. Without `--totals`, `--json` or a terminal the run's output is
// exactly upstream's.
import type { CommandLine } from '../cli/command-line.js';
import type { RunEvent, RunObserver } from '../report/events.js';
import { formatJsonReport, type RunMode } from '../report/json-report.js';
import type { Output } from '../report/output.js';
import { ProgressLine } from '../report/progress-line.js';
import { RunReport } from '../report/run-report.js';
import { createScanCountRecorder, readScanCount } from '../report/scan-counts.js';
import {
  formatAllGuestsLine, formatAllScope, formatGuestLine, formatGuestScope, formatTotalsBlock,
} from '../report/totals-text.js';
import { getTerminalColumns } from '../sys/terminal-size.js';
import type { RunEnvironment, RunResult } from './traverse-guest.js';

/** Which mode runs, and (vserver and manual mode) the one guest it is about. */
export interface ReportedRun {
  mode: RunMode;
  guest?: { name?: Buffer; root?: Buffer };
}

/** Where progress is drawn: standard error. */
const PROGRESS_FD = 2;

/**
 * Runs `body` with the reports attached to `env` (its `out` and `observe`), then prints what
 * `--totals` or `--json` asked for. In vserver and manual mode the one guest's turn is announced
 * here; `--all` announces each of its guests itself.
 */
export async function reportRun(cmd: CommandLine, env: RunEnvironment, run: ReportedRun, body: (env: RunEnvironment) => Promise<RunResult>): Promise<RunResult> {
  const base = env.out;
  const report = new RunReport({ dryRun: cmd.dryRun, mode: cmd.insecureLevel === 2 ? 'in-place' : 'copy' });
  const observers: RunObserver[] = [report.observe];
  // Dry runs change nothing, the cache included.
  if (!cmd.dryRun) observers.push(createScanCountRecorder(env.cacheDir));
  const progress = isProgressWanted(cmd, env) ? createProgress(env) : undefined;
  if (progress !== undefined) observers.push(progress.observe);
  const out = wrapOutput(base, cmd.json, progress, env.stdoutIsTTY === true);
  if (run.mode === 'all' && !cmd.json && (cmd.totals || cmd.verbosity >= 1)) {
    // After report.observe in the list: the guest that just ended is its last one.
    observers.push((event) => {
      const guest = report.guests.at(-1);
      if (event.kind === 'guest-end' && guest !== undefined && guest.exitCode === 0) out.out(formatGuestLine(guest, cmd.dryRun));
    });
  }
  const observe = (event: RunEvent): void => {
    for (const observer of observers) observer(event);
  };
  const reported: RunEnvironment = { ...env, out, observe };
  let result: RunResult;
  try {
    if (run.guest !== undefined) observe({ kind: 'guest-begin', ...run.guest, index: 0, count: 1 });
    result = await body(reported);
    if (run.guest !== undefined) observe({ kind: 'guest-end', exitCode: result.exitCode });
  } finally {
    progress?.stop();
  }
  printReport(cmd, run.mode, report, result.exitCode, base);
  return result;
}

/** A live line only where a person watches it and nothing else is printed: a terminal at -v 0. */
function isProgressWanted(cmd: CommandLine, env: RunEnvironment): boolean {
  return env.stderrIsTTY === true && cmd.verbosity === 0 && env.vars?.['TERM'] !== 'dumb';
}

function createProgress(env: RunEnvironment): ProgressLine {
  return new ProgressLine({
    fd: PROGRESS_FD,
    readColumns: () => readColumnsSafely(),
    readPreviousCount: (rootStat) => readScanCount(env.cacheDir, rootStat),
  });
}

/** The terminal's width; asked from cli-progress' timer, where a throw would end the run. */
function readColumnsSafely(): number | undefined {
  try {
    return getTerminalColumns(PROGRESS_FD);
  } catch {
    return undefined;
  }
}

/** `--json`: nothing but the document on stdout. A progress line is cleared before anything else reaches the terminal. */
function wrapOutput(base: Output, json: boolean, progress: ProgressLine | undefined, stdoutIsTTY: boolean): Output {
  return {
    out(text) {
      if (json) return;
      if (stdoutIsTTY) progress?.suspend();
      base.out(text);
    },
    err(text) {
      progress?.suspend();
      base.err(text);
    },
    flush: () => base.flush(),
  };
}

function printReport(cmd: CommandLine, mode: RunMode, report: RunReport, exitCode: number, out: Output): void {
  const elapsedNs = report.readElapsedNs();
  if (cmd.json) {
    const figures = report.hasFigures() ? report.readFigures() : undefined;
    out.out(formatJsonReport({ mode, dryRun: cmd.dryRun, exitCode, elapsedNs, figures, guests: report.guests }));
    return;
  }
  if (mode === 'all') {
    // A run that stopped before its first guest (no installation, a stray name) has its error line only.
    if (report.guests.length === 0 && exitCode !== 0) return;
    if (cmd.totals) out.out(formatTotalsBlock(formatAllScope(report.guests), report.readFigures(), elapsedNs, cmd.dryRun));
    else if (cmd.verbosity >= 1) out.out(formatAllGuestsLine(report.guests, report.readFigures(), cmd.dryRun));
    return;
  }
  const guest = report.guests[0];
  if (cmd.totals && guest?.figures !== undefined) out.out(formatTotalsBlock(formatGuestScope(guest), guest.figures, elapsedNs, cmd.dryRun));
}
