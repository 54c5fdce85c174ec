// Turns measured samples into rows (medians, peaks, ratios) and the markdown table for the README.
import { formatUpstreamTool, type ToolRole } from './jobs.js';

/** One measured run of one tool in one job. */
export interface Sample {
  job: string;
  role: ToolRole;
  tool: string;
  run: number;
  wallS: number;
  cpuS: number;
  maxRssKiB: number;
  /** Regular files in the trees the run worked on (0 when not meaningful). */
  files: number;
  /** Ours only: what making new entries durable cost, from the runs' --json documents. */
  durable?: { syncs: number; waitS: number };
}

/** One line of the table. */
export interface Row {
  job: string;
  title: string;
  tool: string;
  role: ToolRole;
  runs: number;
  medianWallS: number;
  medianCpuS: number;
  peakRssMiB: number;
  filesPerS: number | undefined;
  /** Ours and upstream's only: the row's median wall time divided by the baseline's of the same job. */
  vsHardlink: number | undefined;
  /** The row's CPU time (user + system) over hardlink's: the second target. */
  cpuVsHardlink: number | undefined;
  vsFloor: number | undefined;
  /** Ours only: our median wall time over upstream's doing the same (copy or in-place mode) in the same job. */
  vsUpstream: number | undefined;
  /** Ours only: median syncfs calls and seconds waited for them per run. */
  durable: { syncs: number; waitS: number } | undefined;
}

/** The median (mean of the middle two for an even count). */
export function computeMedian(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function summarizeDurable(group: readonly Sample[]): Row['durable'] {
  const known = group.flatMap((s) => (s.durable === undefined ? [] : [s.durable]));
  if (known.length === 0) return undefined;
  return { syncs: computeMedian(known.map((d) => d.syncs)), waitS: computeMedian(known.map((d) => d.waitS)) };
}

/** Groups samples by job (first-seen order) and tool (ours, upstream, baselines) and computes medians, peaks and ratios. */
export function summarizeSamples(samples: readonly Sample[], titles: Readonly<Record<string, string>>): Row[] {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    const key = `${s.job}\u0000${s.tool}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const rows: Row[] = [...groups.values()].map((group) => {
    const first = group[0]!;
    const medianWallS = computeMedian(group.map((s) => s.wallS));
    return {
      job: first.job,
      title: titles[first.job] ?? first.job,
      tool: first.tool,
      role: first.role,
      runs: group.length,
      medianWallS,
      medianCpuS: computeMedian(group.map((s) => s.cpuS)),
      peakRssMiB: Math.max(...group.map((s) => s.maxRssKiB)) / 1024,
      filesPerS: first.files > 0 && medianWallS > 0 ? first.files / medianWallS : undefined,
      vsHardlink: undefined,
      cpuVsHardlink: undefined,
      vsFloor: undefined,
      vsUpstream: undefined,
      durable: summarizeDurable(group),
    };
  });
  // Each job's rows together, ours first, then upstream's, then the baselines.
  const jobOrder = [...new Set(rows.map((r) => r.job))];
  const roleOrder: ToolRole[] = ['ours', 'upstream', 'hardlink', 'floor'];
  rows.sort((a, b) => jobOrder.indexOf(a.job) - jobOrder.indexOf(b.job) || roleOrder.indexOf(a.role) - roleOrder.indexOf(b.role));
  const find = (job: string, role: ToolRole): Row | undefined => rows.find((r) => r.job === job && r.role === role);
  for (const row of rows) {
    if (row.role !== 'ours' && row.role !== 'upstream') continue;
    const hardlink = find(row.job, 'hardlink');
    // The daily re-run has no floor of its own: the floor hashes the same files either way.
    const floor = find(row.job, 'floor') ?? (row.job === 'J2' ? find('J1', 'floor') : undefined);
    if (hardlink !== undefined) {
      row.vsHardlink = row.medianWallS / hardlink.medianWallS;
      row.cpuVsHardlink = row.medianCpuS / hardlink.medianCpuS;
    }
    if (floor !== undefined) row.vsFloor = row.medianWallS / floor.medianWallS;
    const upstream = row.role === 'ours' ? rows.find((r) => r.job === row.job && r.role === 'upstream' && r.tool === formatUpstreamTool(row.tool)) : undefined;
    if (upstream !== undefined) row.vsUpstream = row.medianWallS / upstream.medianWallS;
  }
  return rows;
}

/** Seconds with a precision that suits their size. */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return seconds.toFixed(3);
  if (seconds < 10) return seconds.toFixed(2);
  if (seconds < 100) return seconds.toFixed(1);
  return seconds.toFixed(0);
}

/** A ratio such as `1.25×`, or a dash when there is none. */
export function formatRatio(ratio: number | undefined): string {
  return ratio === undefined ? '–' : `${ratio.toFixed(2)}×`;
}

/** Escapes a table cell (a `|` would end it). */
export function formatCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/**
 * The markdown table: one row per job and tool, then one legend line per job. The ratio columns
 * divide the row's tool (ours or upstream's) by the baseline of the same job; the `ours ÷ upstream`
 * column is there only when upstream was measured.
 */
export function formatMarkdownTable(rows: readonly Row[]): string {
  const withUpstream = rows.some((r) => r.role === 'upstream');
  const header = ['job', 'tool', 'runs', 'wall s (median)', 'CPU s (median)', 'peak RSS MiB', 'files/s', 'wall ÷ hardlink', 'CPU ÷ hardlink', 'wall ÷ floor'];
  if (withUpstream) header.push('ours ÷ upstream');
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`];
  for (const r of rows) {
    const ratios = r.role === 'ours' || r.role === 'upstream';
    const cells = [
      r.job,
      r.tool,
      String(r.runs),
      formatSeconds(r.medianWallS),
      formatSeconds(r.medianCpuS),
      r.peakRssMiB.toFixed(r.peakRssMiB < 10 ? 1 : 0),
      r.filesPerS === undefined ? '–' : Math.round(r.filesPerS).toLocaleString('en-US'),
      ratios ? formatRatio(r.vsHardlink) : '',
      ratios ? formatRatio(r.cpuVsHardlink) : '',
      ratios ? formatRatio(r.vsFloor) : '',
    ];
    if (withUpstream) cells.push(r.role === 'ours' ? formatRatio(r.vsUpstream) : '');
    lines.push(`| ${cells.map(formatCell).join(' | ')} |`);
  }
  const legend = [...new Map(rows.map((r) => [r.job, r.title])).entries()].map(([job, title]) => `- ${job}: ${title}`);
  const durable = rows.filter((r) => r.durable !== undefined && r.durable.syncs > 0).map((r) => formatDurableLine(r));
  const durableBlock = durable.length === 0 ? '' : `\nWhat durability cost our runs (median per run: syncfs calls, time the commits waited for them):\n\n${durable.join('\n')}\n`;
  return `${lines.join('\n')}\n\n${legend.join('\n')}\n${durableBlock}`;
}

/** `- J1 vhashify: 12 syncfs, 0.84 s waited (6.4 % of its wall time)`. */
export function formatDurableLine(row: Row): string {
  const d = row.durable!;
  const share = row.medianWallS > 0 ? ` (${((100 * d.waitS) / row.medianWallS).toFixed(1)} % of its wall time)` : '';
  return `- ${row.job} ${row.tool}: ${d.syncs} syncfs, ${formatSeconds(d.waitS)} s waited${share}`;
}
