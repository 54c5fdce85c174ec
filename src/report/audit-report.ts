// `--audit` as data and text: a block per damaged entry (the guest paths that link it, what the
// fix did), a summary per store, or one JSON document.
import type { FileStat } from '../sys/file-stat.js';
import { formatJsonBytes, formatJsonDocument } from './json-text.js';

/** A name of a damaged entry in a guest. */
export interface LinkingPath {
  guest: Buffer;
  path: Buffer;
}

/** One entry that no longer matches its name. */
export interface DamagedEntry {
  /** The entry's full path (root + name). */
  path: Buffer;
  stat: Pick<FileStat, 'size' | 'mode' | 'uid' | 'gid' | 'mtimeNs' | 'nlink'>;
  linkedBy: LinkingPath[];
  /** Links neither in the store nor in a guest looked at. */
  otherLinks: bigint;
  /** With --fix: what was done (or, with -n, would be), and what failed. */
  fix?: { guests: Buffer[]; removed: boolean; problems: string[] };
}

/** What the audit of one store found. */
export interface AuditStoreReport {
  hashDir: Buffer | string;
  /** Entry names in the store, and how many of them were re-hashed. */
  entries: number;
  checked: number;
  /** Entries whose name is their digest with the mtime zeroed (named under --ignore-mtime). */
  matchingIgnoringMtime: number;
  placeholders: number;
  damaged: DamagedEntry[];
  unreadable: Array<{ path: Buffer; reason: string }>;
}

/** The version of the JSON document's layout. */
export const AUDIT_JSON_VERSION = 1;

/** The block for one damaged entry. */
export function formatDamagedEntry(d: DamagedEntry, dryRun: boolean): Buffer {
  const parts: Buffer[] = [
    Buffer.from("damaged store entry '"), d.path,
    Buffer.from("': its content or attributes no longer give its name (changed in place)\n"),
  ];
  for (const link of d.linkedBy) parts.push(Buffer.from("  linked by '"), link.guest, Buffer.from("' as '"), link.path, Buffer.from("'\n"));
  if (d.otherLinks > 0n) parts.push(Buffer.from(`  ${d.otherLinks} ${d.otherLinks === 1n ? 'link' : 'links'} outside the guests looked at\n`));
  if (d.fix !== undefined) {
    const verb = dryRun ? 'would give' : 'gave';
    for (const guest of d.fix.guests) parts.push(Buffer.from(`  fix: ${verb} '`), guest, Buffer.from("' its own copy of what it holds\n"));
    if (d.fix.removed) parts.push(Buffer.from(dryRun ? '  fix: would take the entry out of the store\n' : '  fix: took the entry out of the store\n'));
    for (const problem of d.fix.problems) parts.push(Buffer.from(`  fix failed: ${problem}\n`));
  }
  return Buffer.concat(parts);
}

/** The store's summary line. */
export function formatAuditSummary(r: AuditStoreReport, dryRun: boolean): Buffer {
  const fixed = r.damaged.filter((d) => d.fix !== undefined && d.fix.problems.length === 0).length;
  const fixedText = fixed === 0 ? '' : ` (${fixed} ${dryRun ? 'to fix' : 'fixed'})`;
  const damaged = `${r.damaged.length} damaged${fixedText}`;
  const extras = [
    r.unreadable.length > 0 ? `${r.unreadable.length} unreadable` : '',
    r.placeholders > 0 ? `${r.placeholders} ${r.placeholders === 1 ? 'placeholder' : 'placeholders'} skipped` : '',
  ].filter((s) => s !== '').map((s) => `, ${s}`).join('');
  return Buffer.concat([Buffer.from("audit '"), Buffer.from(r.hashDir), Buffer.from(`': ${r.checked} of ${r.entries} entries checked, ${damaged}${extras}\n`)]);
}

/** Every store's findings as one JSON document. */
export function formatAuditJson(stores: readonly AuditStoreReport[], opts: { dryRun: boolean; fix: boolean }): string {
  return formatJsonDocument({
    report: 'audit',
    version: AUDIT_JSON_VERSION,
    dryRun: opts.dryRun,
    fix: opts.fix,
    stores: stores.map((r) => ({
      hashDir: formatJsonBytes(r.hashDir),
      entries: r.entries,
      checked: r.checked,
      matchingIgnoringMtime: r.matchingIgnoringMtime,
      placeholders: r.placeholders,
      damaged: r.damaged.map((d) => ({
        entry: formatJsonBytes(d.path),
        size: d.stat.size,
        mode: Number(d.stat.mode & 0o7777n).toString(8).padStart(4, '0'),
        uid: d.stat.uid,
        gid: d.stat.gid,
        mtimeNs: String(d.stat.mtimeNs),
        links: d.stat.nlink,
        linkedBy: d.linkedBy.map((l) => ({ guest: formatJsonBytes(l.guest), path: formatJsonBytes(l.path) })),
        otherLinks: d.otherLinks,
        ...(d.fix === undefined ? {} : { fix: { guests: d.fix.guests.map(formatJsonBytes), removed: d.fix.removed, problems: d.fix.problems } }),
      })),
      unreadable: r.unreadable.map((u) => ({ entry: formatJsonBytes(u.path), reason: u.reason })),
    })),
  });
}
