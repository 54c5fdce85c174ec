// What `--check` found, as data, and its text: one line per item, `<where>: finding: <what>` or
// `<where>: note: <what>`, a `  fix: <commands>` line where there is a fix, then one summary line.
import { concatBytes } from '../store/byte-text.js';

/** A finding makes the exit status 1; a note is worth knowing and changes nothing. */
export type CheckSeverity = 'finding' | 'note';

/** One thing found: where (a file and line, a directory, a guest), what, and how to fix it. */
export interface CheckItem {
  severity: CheckSeverity;
  where: Buffer;
  what: Buffer;
  fix?: Buffer;
}

/** The items of one `--check`, in the order they were found, and what was looked at. */
export class CheckReport {
  readonly items: CheckItem[] = [];
  /** What was checked, for the summary: guests, hash directories, exclude lists. */
  readonly checked = { guests: 0, stores: 0, lists: 0 };

  /** Adds a finding. */
  finding(where: string | Buffer, what: string | Buffer, fix?: string | Buffer): void {
    this.add('finding', where, what, fix);
  }

  /** Adds a note. */
  note(where: string | Buffer, what: string | Buffer, fix?: string | Buffer): void {
    this.add('note', where, what, fix);
  }

  /** How many items of a severity there are. */
  count(severity: CheckSeverity): number {
    return this.items.filter((item) => item.severity === severity).length;
  }

  private add(severity: CheckSeverity, where: string | Buffer, what: string | Buffer, fix?: string | Buffer): void {
    const item: CheckItem = { severity, where: Buffer.from(where), what: Buffer.from(what) };
    if (fix !== undefined) item.fix = Buffer.from(fix);
    this.items.push(item);
  }
}

/** `<where>: finding: <what>` (continuation lines indented), then `  fix: <fix>`. */
export function formatCheckItem(item: CheckItem): Buffer {
  const what = item.what.toString('latin1').replace(/\n+$/, '').replace(/\n/g, '\n  ');
  const lines = [concatBytes(item.where, `: ${item.severity}: `, Buffer.from(what, 'latin1'), '\n')];
  if (item.fix !== undefined) lines.push(concatBytes('  fix: ', item.fix, '\n'));
  return Buffer.concat(lines);
}

// `1 finding`, `2 findings`; `plural` where adding an s is wrong.
function countWords(n: number, word: string, plural = `${word}s`): string {
  return `${n} ${n === 1 ? word : plural}`;
}

/** The last line: how many findings and notes, and what was looked at. */
export function formatCheckSummary(report: CheckReport): string {
  const findings = report.count('finding');
  const notes = report.count('note');
  const { guests, stores, lists } = report.checked;
  const looked = [
    ...(guests > 0 ? [countWords(guests, 'guest')] : []),
    countWords(stores, 'hash directory', 'hash directories'),
    countWords(lists, 'exclude list'),
  ].join(', ');
  const result = findings === 0 ? 'no findings' : countWords(findings, 'finding');
  return `vhashify --check: ${result}${notes === 0 ? '' : `, ${countWords(notes, 'note')}`} (checked ${looked})\n`;
}

/** A line of a file shown so that control bytes are visible: `\r`, `\t`, `\0`, `\xNN`. */
export function formatVisibleBytes(bytes: Buffer): Buffer {
  const out: Buffer[] = [];
  for (const byte of bytes) {
    if (byte === 0x0d) out.push(Buffer.from('\\r'));
    else if (byte === 0x09) out.push(Buffer.from('\\t'));
    else if (byte === 0x00) out.push(Buffer.from('\\0'));
    else if (byte < 0x20 || byte === 0x7f) out.push(Buffer.from(`\\x${byte.toString(16).padStart(2, '0')}`));
    else out.push(Buffer.from([byte]));
  }
  return Buffer.concat(out);
}
