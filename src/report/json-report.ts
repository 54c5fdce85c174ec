// `--json`: the run's figures as one JSON document for scripts and monitoring. The schema is
// man/vhashify-json.schema.json and vhashify(8), JSON OUTPUT; `version` changes when a field's
// meaning changes or one is removed (fields may be added within a version).
import type { RunFigures } from './run-figures.js';
import type { GuestResult } from './run-report.js';

/** The document's schema version. */
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

/** The document, one line of JSON and a newline. */
export function formatJsonReport(input: JsonReportInput): string {
  const document = {
    version: JSON_REPORT_VERSION,
    program: 'vhashify',
    mode: input.mode,
    dryRun: input.dryRun,
    exitCode: input.exitCode,
    elapsedSeconds: toSeconds(input.elapsedNs),
    totals: input.figures === undefined ? null : formatFigures(input.figures),
    guests: input.guests.map((guest) => ({
      ...formatName('name', guest.name),
      ...formatName('root', guest.root),
      status: guest.exitCode === 0 ? 'done' : 'failed',
      exitCode: guest.exitCode,
      elapsedSeconds: toSeconds(guest.elapsedNs),
      figures: guest.figures === undefined ? null : formatFigures(guest.figures),
    })),
  };
  return `${JSON.stringify(document)}\n`;
}

function formatFigures(f: RunFigures): Record<string, unknown> {
  return {
    scanned: f.scanned,
    eligible: f.eligible,
    newlyUnified: f.newlyUnified,
    alreadyUnified: f.alreadyUnified,
    skipped: { ...f.skipped },
    errors: { ...f.errors },
    savedByRunBytes: Number(f.savedByRunBytes),
    savedTotalBytes: Number(f.savedTotalBytes),
    pageCacheSharedBytes: Number(f.pageCacheSharedBytes),
    regularFiles: f.regularFiles,
    inodes: f.inodes,
    newEntries: f.newEntries,
    leftoversRemoved: f.leftoversRemoved,
  };
}

/**
 * Names are bytes and JSON strings are Unicode: `key` holds the UTF-8 reading (null when there is
 * no such name); when the bytes are not valid UTF-8, `keyBase64` holds them exactly.
 */
function formatName(key: 'name' | 'root', bytes: Buffer | undefined): Record<string, string | null> {
  if (bytes === undefined) return { [key]: null };
  const text = bytes.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(bytes)) return { [key]: text };
  return { [key]: text, [`${key}Base64`]: bytes.toString('base64') };
}

function toSeconds(ns: bigint): number {
  return Math.round(Number(ns) / 1e6) / 1e3;
}
