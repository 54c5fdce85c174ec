// Upstream vhashify's stdout lines, byte for byte, at each verbosity level (spec 7.4).
import type { EntryEvent } from './events.js';

/** What decides which lines upstream prints. */
export interface LineSettings {
  verbosity: number;
  dryRun: boolean;
}

const SKIP_PREFIX = Buffer.from("  skipping '");
const UNIFY_PREFIX = Buffer.from("unifying   '");

/** What a line is made of: an entry event without what only the reports read (stats, the target). */
export type LineEvent =
  | Omit<Extract<EntryEvent, { kind: 'skip' }>, 'stat'>
  | Pick<Extract<EntryEvent, { kind: 'unifying' }>, 'kind' | 'path' | 'entryPath'>;

/** The stdout line for an event, or undefined when upstream prints nothing at this level. */
export function formatEntryLine(event: LineEvent, settings: LineSettings): Buffer | undefined {
  const v = settings.verbosity;
  if (event.kind === 'unifying') {
    if (!settings.dryRun && v < 2) return undefined;
    const tail = v >= 4 ? `' (to '${event.entryPath}')\n` : "'\n";
    return Buffer.concat([UNIFY_PREFIX, event.path, Buffer.from(tail)]);
  }
  if (v < 1) return undefined;
  if (event.reason === 'already unified' && v < 3) return undefined;
  if ((event.isDotfile || event.isSymlink) && v < 6) return undefined;
  const tail = v >= 2 ? `' (${event.reason})\n` : "'\n";
  return Buffer.concat([SKIP_PREFIX, event.path, Buffer.from(tail)]);
}

/** `Initializing exclude-list for …` (manual mode prints no name in parentheses). */
export function formatInitializingLine(root: Buffer, guestName?: Buffer): Buffer {
  const parts = [Buffer.from('Initializing exclude-list for '), root];
  if (guestName !== undefined) parts.push(Buffer.from(' ('), guestName, Buffer.from(')'));
  parts.push(Buffer.from('\n'));
  return Buffer.concat(parts);
}
