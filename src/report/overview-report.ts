// `--overview` as data, and its two renderings: aligned text for people, JSON for scripts.
import { formatHold, type GuestHold } from '../config/guest-hold.js';
import { concatBytes } from '../store/byte-text.js';
import type { GuestFigures } from './guest-figures.js';
import type { StoreFigures } from '../store/store-figures.js';
import { computeLabelWidth, formatAlignedRows, type AlignedRow } from './aligned-rows.js';
import { formatByteSize } from './byte-size.js';
import { formatJsonBytes, formatJsonDocument } from './json-text.js';

/** One guest: its figures, or why there are none. */
export interface GuestOverview {
  label: Buffer;
  root: Buffer;
  hashDir: Buffer | string;
  figures?: GuestFigures;
  /** Why the guest could not be counted (the figures are missing). */
  error?: Buffer;
  /** Something the figures depend on (an unreadable exclude list). */
  note?: Buffer;
  /** The guest's hold (`--unshared`), with the marker's path. */
  hold?: GuestHold & { path: Buffer };
}

/** One store: its roots, the protection in force and its figures. */
export interface StoreOverview {
  hashDir: Buffer | string;
  roots: Buffer[];
  /** The policy a run would apply, or undefined when it would refuse (`auto` on a stock kernel). */
  policy?: string;
  figures: StoreFigures;
}

/** The whole report. */
export interface OverviewReport {
  guests: GuestOverview[];
  stores: StoreOverview[];
}

/** The version of the JSON document's layout (documented in vhashify(8)). */
export const OVERVIEW_JSON_VERSION = 1;

/** Percentage of eligible files that are store entries, one decimal; undefined without eligible files. */
export function computeHashifiedPercent(figures: Pick<GuestFigures, 'eligible' | 'linked'>): number | undefined {
  if (figures.eligible === 0) return undefined;
  return Math.round((figures.linked / figures.eligible) * 1000) / 10;
}

/** The report as aligned text: a block per guest, then a block per store. */
export function formatOverviewText(report: OverviewReport): Buffer {
  const blocks: Array<[Buffer, AlignedRow[]]> = [
    ...report.guests.map((g): [Buffer, AlignedRow[]] => [Buffer.concat([Buffer.from('guest '), g.label]), formatGuestRows(g, report)]),
    ...report.stores.map((s): [Buffer, AlignedRow[]] => [Buffer.concat([Buffer.from('store '), Buffer.from(s.hashDir)]), formatStoreRows(s)]),
  ];
  const width = computeLabelWidth(blocks.map(([, rows]) => rows));
  return Buffer.concat(blocks.map(([heading, rows]) => formatAlignedRows(heading, rows, width)));
}

function formatGuestRows(g: GuestOverview, report: OverviewReport): AlignedRow[] {
  const rows: AlignedRow[] = [['directory', g.root]];
  if (g.hold !== undefined) rows.push(['hold', formatHoldRow(g.hold)]);
  if (g.note !== undefined) rows.push(['note', g.note]);
  if (g.figures === undefined) return [...rows, ['error', g.error ?? Buffer.from('not counted')]];
  const f = g.figures;
  const percent = computeHashifiedPercent(f);
  const store = report.stores.find((s) => Buffer.from(s.hashDir).equals(Buffer.from(g.hashDir)));
  rows.push(
    ['eligible files', `${f.eligible} (${formatByteSize(f.eligibleBytes)})`],
    ['linked into the store', `${f.linked} (${formatByteSize(f.linkedBytes)})`],
    ['hashified', percent === undefined ? 'nothing to hashify' : `${percent.toFixed(1)} %`],
    ['bytes saved', formatByteSize(f.sharing.savedBytes)],
    ['page cache shared', formatByteSize(f.sharing.pageCacheSharedBytes)],
    ['protection', formatProtection(store?.policy, f.unprotectedEntries, 'linked entries')],
  );
  if (f.noStorageRoot > 0) rows.push(['no storage root', `${f.noStorageRoot} files on a file system the store has no root for`]);
  if (f.failedDirs > 0) rows.push(['unreadable directories', `${f.failedDirs} (their files are not counted)`]);
  return rows;
}

// A live hold says why --all skips the guest now; one left by a crash, what to do about it.
function formatHoldRow(hold: GuestHold & { path: Buffer }): Buffer {
  if (hold.stale === true) {
    return concatBytes(`left by a run that did not finish (${formatHold(hold)}); --all skips the guest until it is removed: rm '`, hold.path, "'");
  }
  const where = hold.stale === undefined ? ', placed on another host' : '';
  return Buffer.from(`${formatHold(hold)}${where}; --all skips the guest until the command ends`);
}

function formatStoreRows(s: StoreOverview): AlignedRow[] {
  const f = s.figures;
  const rows: AlignedRow[] = s.roots.map((root, i) => [i === 0 ? 'storage roots' : '', root] as const);
  rows.push(
    ['entries', `${f.entries} (${formatByteSize(f.allocatedBytes)} on disk)`],
    ['orphaned entries', f.orphans === 0 ? '0' : `${f.orphans} (${formatByteSize(f.orphanBytes)}; no guest links them: --gc removes them)`],
    ['leftovers', f.leftovers === 0 ? '0' : `${f.leftovers} (placeholders and temporaries of crashed runs: --gc removes them)`],
    ['bytes saved', formatByteSize(f.savedBytes)],
    ['page cache shared', formatByteSize(f.pageCacheSharedBytes)],
    ['protection', formatProtection(s.policy, f.unprotected, 'shared entries')],
  );
  if (f.strays > 0) rows.push(['other names', `${f.strays} (not made by vhashify; left alone)`]);
  return rows;
}

function formatProtection(policy: string | undefined, lacking: number, what: string): string {
  if (policy === undefined) return "none decided ('auto' on a kernel without Linux-VServer: a run refuses until a policy is set)";
  if (policy === 'none') return 'none (plain hard links)';
  return lacking === 0 ? `${policy}, in place on every one` : `${policy}, missing on ${lacking} ${what} (the next run repairs them)`;
}

/** The report as one JSON document (layout version OVERVIEW_JSON_VERSION). */
export function formatOverviewJson(report: OverviewReport): string {
  return formatJsonDocument({
    report: 'overview',
    version: OVERVIEW_JSON_VERSION,
    guests: report.guests.map((g) => ({
      guest: formatJsonBytes(g.label),
      directory: formatJsonBytes(g.root),
      hashDir: formatJsonBytes(g.hashDir),
      ...(g.note === undefined ? {} : { note: formatJsonBytes(g.note) }),
      hold: g.hold === undefined ? null : formatHoldJson(g.hold),
      ...(g.figures === undefined ? { error: formatJsonBytes(g.error ?? Buffer.from('not counted')) } : formatGuestJson(g.figures)),
    })),
    stores: report.stores.map((s) => ({
      hashDir: formatJsonBytes(s.hashDir),
      storageRoots: s.roots.map(formatJsonBytes),
      protection: s.policy ?? null,
      entries: s.figures.entries,
      entryInodes: s.figures.inodes,
      allocatedBytes: s.figures.allocatedBytes,
      apparentBytes: s.figures.apparentBytes,
      orphanedEntries: s.figures.orphans,
      orphanedBytes: s.figures.orphanBytes,
      leftovers: s.figures.leftovers,
      otherNames: s.figures.strays,
      unprotectedEntries: s.figures.unprotected,
      savedBytes: s.figures.savedBytes,
      pageCacheSharedBytes: s.figures.pageCacheSharedBytes,
    })),
  });
}

function formatHoldJson(hold: GuestHold & { path: Buffer }): Record<string, unknown> {
  return { path: formatJsonBytes(hold.path), pid: hold.pid, host: hold.host, user: hold.user, since: hold.since, command: hold.command, stale: hold.stale ?? null };
}

function formatGuestJson(f: GuestFigures): Record<string, unknown> {
  return {
    eligibleFiles: f.eligible,
    eligibleBytes: f.eligibleBytes,
    linkedFiles: f.linked,
    linkedBytes: f.linkedBytes,
    hashifiedPercent: computeHashifiedPercent(f) ?? null,
    noStorageRootFiles: f.noStorageRoot,
    savedBytes: f.sharing.savedBytes,
    pageCacheSharedBytes: f.sharing.pageCacheSharedBytes,
    unprotectedEntries: f.unprotectedEntries,
    unreadableDirectories: f.failedDirs,
  };
}
