// Exclude-file lines that upstream's reader drops silently, or keeps as patterns that can never
// match, for a reason visible in the bytes alone (QUIRKS Q09–Q12; spec 3.2). Found for `--check`,
// with the line numbers parse-list-lines.ts gives; the reader itself stays upstream's.

/** Why a line does not do what it looks like it does. */
export type LineProblemKind =
  /** QUIRK Q09: the last line has no newline, so it is not a line at all. */
  | 'no-final-newline'
  /** QUIRK Q10: a NUL byte ends the input; its line and every later one are ignored. */
  | 'nul-byte'
  /** QUIRK Q11: a carriage return (CRLF line ends) or a tab stays at the end of the pattern. */
  | 'carriage-return'
  | 'trailing-tab'
  /** QUIRK Q12: one byte after trimming, so the line is dropped (`*`, `/`). */
  | 'too-short'
  /** The pattern starts with a blank (leading spaces are kept): paths start with `/`. */
  | 'leading-blank'
  /** The pattern starts with a literal byte other than `/`, so no path can match it. */
  | 'no-leading-slash';

/** One problem: the 1-based line, its bytes (without the newline), and what is wrong. */
export interface LineProblem {
  kind: LineProblemKind;
  line: number;
  text: Buffer;
  /** For `nul-byte`: how many lines after it are lost as well. */
  linesLost?: number;
}

const NUL = 0x00;
const NEWLINE = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const HASH = 0x23;
const SLASH = 0x2f;
const PREFIXES = new Set([0x2b, 0x7e, 0x2d]); // + ~ -
const WILDCARD_STARTS = new Set([0x2a, 0x3f, 0x5b, 0x5c]); // * ? [ backslash

function isBlankByte(byte: number | undefined): boolean {
  return byte === SPACE || byte === TAB || byte === CR;
}

function isBlank(text: Buffer): boolean {
  return text.every((byte) => isBlankByte(byte));
}

/** How many lines `text` holds, a last one without a newline included. */
function countLines(text: Buffer): number {
  let count = 0;
  for (let at = text.indexOf(NEWLINE); at >= 0; at = text.indexOf(NEWLINE, at + 1)) count += 1;
  return text.length > 0 && text[text.length - 1] !== NEWLINE ? count + 1 : count;
}

/** The problem of one complete line, if any (comments and blank lines have none). */
function findLineProblem(text: Buffer): LineProblemKind | undefined {
  if (text[0] === HASH || isBlank(text)) return undefined;
  let stop = text.length;
  while (stop > 0 && text[stop - 1] === SPACE) stop -= 1;
  if (stop < 2) return 'too-short';
  if (text[stop - 1] === CR) return 'carriage-return';
  if (text[stop - 1] === TAB) return 'trailing-tab';
  const first = PREFIXES.has(text[0]!) ? 1 : 0;
  const start = text[first];
  if (start === SPACE || start === TAB) return 'leading-blank';
  if (start !== undefined && start !== SLASH && !WILDCARD_STARTS.has(start)) return 'no-leading-slash';
  return undefined;
}

/**
 * Every line of an exclude file that is dropped or can never match for a syntactic reason. Blank
 * lines and comments are fine. Mirrors parseListLines: lines end at `\n`, the first NUL ends all.
 */
export function lintExcludeList(data: Buffer): LineProblem[] {
  const problems: LineProblem[] = [];
  const nul = data.indexOf(NUL);
  const end = nul < 0 ? data.length : nul;
  let start = 0;
  for (let line = 1; ; line += 1) {
    const newline = data.indexOf(NEWLINE, start);
    if (newline < 0 || newline >= end) {
      if (nul >= 0) {
        const stop = data.indexOf(NEWLINE, nul);
        const text = data.subarray(start, stop < 0 ? data.length : stop);
        const linesLost = stop < 0 ? 0 : countLines(data.subarray(stop + 1));
        problems.push({ kind: 'nul-byte', line, text: Buffer.from(text), linesLost });
      } else if (start < data.length) {
        const text = data.subarray(start);
        if (text[0] !== HASH && !isBlank(text)) problems.push({ kind: 'no-final-newline', line, text: Buffer.from(text) });
      }
      return problems;
    }
    const text = data.subarray(start, newline);
    const kind = findLineProblem(text);
    if (kind !== undefined) problems.push({ kind, line, text: Buffer.from(text) });
    start = newline + 1;
  }
}
