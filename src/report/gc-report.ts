// `--gc` as data and text: a line per name (listed with -n, removed with -v), a summary per store,
// or one JSON document.
import type { GarbageKind } from '../store/plan-garbage.js';
import { formatByteSize } from './byte-size.js';
import { formatJsonBytes, formatJsonDocument } from './json-text.js';

/** What became of one store. */
export interface GcStoreReport {
  hashDir: Buffer | string;
  /** Names removed (with -n: to be removed), full paths, by kind. */
  removed: Array<{ kind: GarbageKind; path: Buffer }>;
  freedBytes: bigint;
  /** Names that could not be removed, with the reason. */
  failed: Array<{ path: Buffer; reason: string }>;
  /** Names below the roots that vhashify did not make: left alone. */
  strays: Buffer[];
}

/** The version of the JSON document's layout. */
export const GC_JSON_VERSION = 1;

const PLURALS: Record<GarbageKind, [string, string]> = {
  'orphaned entry': ['orphaned entry', 'orphaned entries'],
  placeholder: ['placeholder', 'placeholders'],
  temporary: ['temporary', 'temporaries'],
  'empty directory': ['empty directory', 'empty directories'],
};

/** `  removed '<path>' (<kind>)`, or `  would remove …` in a dry run. */
export function formatGcLine(kind: GarbageKind, path: Buffer, dryRun: boolean): Buffer {
  return Buffer.concat([Buffer.from(dryRun ? "  would remove '" : "  removed '"), path, Buffer.from(`' (${kind})\n`)]);
}

/** `  left alone '<path>' (not made by vhashify)`. */
export function formatStrayLine(path: Buffer): Buffer {
  return Buffer.concat([Buffer.from("  left alone '"), path, Buffer.from("' (not made by vhashify)\n")]);
}

/** The store's summary line: what went (or would go) and what it freed. */
export function formatGcSummary(r: GcStoreReport, dryRun: boolean): Buffer {
  const counts = (Object.keys(PLURALS) as GarbageKind[]).map((kind) => {
    const n = r.removed.filter((item) => item.kind === kind).length;
    return `${n} ${PLURALS[kind][n === 1 ? 0 : 1]}`;
  });
  const what = `${counts.slice(0, -1).join(', ')} and ${counts[counts.length - 1]}`;
  const freed = formatByteSize(r.freedBytes);
  const tail = dryRun ? `would remove ${what}, freeing ${freed}` : `removed ${what}, freeing ${freed}`;
  const failures = r.failed.length === 0 ? '' : `; ${r.failed.length} could not be removed`;
  return Buffer.concat([Buffer.from("gc '"), Buffer.from(r.hashDir), Buffer.from(`': ${tail}${failures}\n`)]);
}

/** Every store's outcome as one JSON document. */
export function formatGcJson(stores: readonly GcStoreReport[], dryRun: boolean): string {
  return formatJsonDocument({
    report: 'gc',
    version: GC_JSON_VERSION,
    dryRun,
    stores: stores.map((r) => ({
      hashDir: formatJsonBytes(r.hashDir),
      freedBytes: r.freedBytes,
      removed: r.removed.map((item) => ({ kind: item.kind, path: formatJsonBytes(item.path) })),
      failed: r.failed.map((item) => ({ path: formatJsonBytes(item.path), reason: item.reason })),
      otherNames: r.strays.map(formatJsonBytes),
    })),
  });
}
