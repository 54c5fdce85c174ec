// `--json` for a hashify run: its figures as one JSON document for scripts and monitoring, with the
// conventions of the store modes' documents (json-text.ts): `report` names the kind, `version` its
// layout, bytes are numbers, names that are not UTF-8 are `{ "hex": … }`. The schema is
// man/vhashify-json.schema.json and vhashify(8), JSON document; `version` changes when a field's
// meaning changes or one is removed (fields may be added within a version).
import { formatJsonBytes, formatJsonDocument } from './json-text.js';
import type { RunFigures } from './run-figures.js';
import type { GuestResult } from './run-report.js';

/** The document's layout version. */
export const JSON_REPORT_VERSION = 1;

/** Which command the run was. */
export type RunMode = 'manual' | 'vserver' | 'all';

/** What the document is made from. */
export interface JsonReportInput {
  mode: RunMode;
  dryRun: boolean;
  exitCode: number;
  elapsedNs: bigint;
  /** Every traversed guest as one scope; undefined when no tree was traversed. */
  figures: RunFigures | undefined;
  guests: readonly GuestResult[];
}

/** The document and a newline. */
export function formatJsonReport(input: JsonReportInput): string {
  return formatJsonDocument({
    report: 'run',
    version: JSON_REPORT_VERSION,
    mode: input.mode,
    dryRun: input.dryRun,
    exitCode: input.exitCode,
    elapsedSeconds: toSeconds(input.elapsedNs),
    totals: input.figures === undefined ? null : formatFigures(input.figures),
    guests: input.guests.map((guest) => ({
      name: guest.name === undefined ? null : formatJsonBytes(guest.name),
      root: guest.root === undefined ? null : formatJsonBytes(guest.root),
      status: guest.exitCode === 0 ? 'done' : 'failed',
      exitCode: guest.exitCode,
      elapsedSeconds: toSeconds(guest.elapsedNs),
      figures: guest.figures === undefined ? null : formatFigures(guest.figures),
    })),
  });
}

function formatFigures(f: RunFigures): Record<string, unknown> {
  return {
    scanned: f.scanned,
    eligible: f.eligible,
    newlyUnified: f.newlyUnified,
    alreadyUnified: f.alreadyUnified,
    skipped: { ...f.skipped },
    errors: { ...f.errors },
    savedByRunBytes: f.savedByRunBytes,
    savedTotalBytes: f.savedTotalBytes,
    pageCacheSharedBytes: f.pageCacheSharedBytes,
    regularFiles: f.regularFiles,
    inodes: f.inodes,
    newEntries: f.newEntries,
    leftoversRemoved: f.leftoversRemoved,
    durableSyncs: f.durableSyncs,
    durableWaitSeconds: toSeconds(f.durableWaitNs),
  };
}

function toSeconds(ns: bigint): number {
  return Math.round(Number(ns) / 1e6) / 1e3;
}
