// The text of `--totals` (an aligned block after upstream's lines) and of `--all`'s line per guest
// and overall line. Names and paths are printed as their raw bytes, as upstream prints paths.
import { concatBytes } from '../store/byte-text.js';
import type { SkipReason } from './events.js';
import { formatByteSize } from './byte-size.js';
import { formatCount, formatDuration } from './format-figures.js';
import type { ErrorCounts, RunFigures } from './run-figures.js';
import type { GuestResult } from './run-report.js';

/** Skip reasons listed under `skipped`, in the order of upstream's documentation; the others have lines of their own. */
const LISTED_SKIPS: readonly SkipReason[] = [
  'excluded', 'too small', 'operation not supported', 'symlink', 'non regular file', 'no matching device', 'extended attributes',
];

const ERROR_LABELS: ReadonlyArray<readonly [Exclude<keyof ErrorCounts, 'total'>, string]> = [
  ['examine', 'could not examine'],
  ['hash', 'could not hash'],
  ['link', 'could not link'],
  ['directory', 'could not enter directory'],
  ['protection', 'left unprotected'],
];

type Row = readonly [label: string, value: string, note?: string];

/** Files skipped for a reason of their own (not already unified, not an error). */
export function countSkipped(figures: RunFigures): number {
  return LISTED_SKIPS.reduce((sum, reason) => sum + (figures.skipped[reason] ?? 0), 0);
}

/**
 * The `--totals` block: a title line naming the scope, then one aligned line per figure. In a dry
 * run the title says so and every figure that is a plan (not a fact already true) is labelled.
 */
export function formatTotalsBlock(scope: Buffer, figures: RunFigures, elapsedNs: bigint, dryRun: boolean): Buffer {
  const planned = dryRun ? ' (planned)' : '';
  const rows: Row[] = [
    ['files scanned', String(figures.scanned)],
    ['eligible', String(figures.eligible)],
    [`newly unified${planned}`, String(figures.newlyUnified)],
    ['already unified', String(figures.alreadyUnified)],
    ['skipped', String(countSkipped(figures))],
    ...LISTED_SKIPS.filter((r) => (figures.skipped[r] ?? 0) > 0).map((r): Row => [`  ${r}`, String(figures.skipped[r])]),
    ['errors', String(figures.errors.total)],
    ...ERROR_LABELS.filter(([k]) => figures.errors[k] > 0).map(([k, label]): Row => [`  ${label}`, String(figures.errors[k])]),
    ...(figures.leftoversRemoved > 0 ? [['leftovers removed', String(figures.leftoversRemoved)] as Row] : []),
    [`saved by this run${planned}`, formatByteSize(figures.savedByRunBytes), `(${figures.savedByRunBytes} bytes)`],
    [`saved in total${planned}`, formatByteSize(figures.savedTotalBytes), `(${figures.savedTotalBytes} bytes)`],
    [`new store entries${planned}`, String(figures.newEntries)],
    ['elapsed', formatDuration(elapsedNs)],
  ];
  const labelWidth = Math.max(...rows.map(([label]) => label.length)) + 2;
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  const lines = rows.map(([label, value, note]) => `  ${label.padEnd(labelWidth)}${value.padStart(valueWidth)}${note === undefined ? '' : `  ${note}`}\n`);
  const title = concatBytes(`vhashify: ${dryRun ? 'planned totals' : 'totals'} for `, scope, dryRun ? ' (dry run: nothing was changed)\n' : '\n');
  return concatBytes(title, lines.join(''));
}

/** How a summary names one guest: `guest 'NAME' (ROOT)`, `guest 'NAME'`, or `'ROOT'` in manual mode. */
export function formatGuestScope(guest: Pick<GuestResult, 'name' | 'root'>): Buffer {
  if (guest.name === undefined) return concatBytes("'", guest.root ?? Buffer.alloc(0), "'");
  if (guest.root === undefined) return concatBytes("guest '", guest.name, "'");
  return concatBytes("guest '", guest.name, "' (", guest.root, ')');
}

/** How the `--all` summary names its scope: `all 3 guests (1 failed)`. */
export function formatAllScope(guests: readonly GuestResult[]): Buffer {
  const failed = guests.filter((g) => g.exitCode !== 0).length;
  return Buffer.from(`all ${formatCount(guests.length, 'guest')}${failed > 0 ? ` (${failed} failed)` : ''}`);
}

/** The figures of a guest (or of all) in one line: unified, already unified, errors, saved. */
function formatFiguresInLine(figures: RunFigures): string {
  return `${figures.newlyUnified} newly unified, ${figures.alreadyUnified} already unified, ${formatCount(figures.errors.total, 'error')}; `
    + `saved ${formatByteSize(figures.savedByRunBytes)} by this run, ${formatByteSize(figures.savedTotalBytes)} in total`;
}

/** `--all` with `--totals` or `-v`: the line of a guest that went well (a failed one has its stderr line). */
export function formatGuestLine(guest: GuestResult, dryRun: boolean): Buffer {
  const figures = guest.figures === undefined ? 'nothing traversed' : formatFiguresInLine(guest.figures);
  return concatBytes("vhashify: guest '", guest.name ?? Buffer.alloc(0), `' ${dryRun ? 'planned' : 'done'}: ${figures}\n`);
}

/** `--all` with `-v` (without `--totals`): one line for every guest together. */
export function formatAllGuestsLine(guests: readonly GuestResult[], figures: RunFigures, dryRun: boolean): Buffer {
  const failed = guests.filter((g) => g.exitCode !== 0).length;
  const counts = `${formatCount(guests.length - failed, 'guest')} hashified, ${failed} failed`;
  return Buffer.from(`vhashify: all guests${dryRun ? ' (planned)' : ''}: ${counts}; ${formatFiguresInLine(figures)}\n`);
}
