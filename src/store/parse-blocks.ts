// The `blocks` file of a hash dir: which parts of a file were meant to be hashed. Upstream only
// validates it (QUIRK Q16: the whole content is always hashed), and so do we.
import { concatBytes, readCString } from './byte-text.js';

/** The `blocks` setting: everything, or a selection of start/middle/end blocks. */
export type HashBlocks = 'all' | { readonly start: boolean; readonly middle: boolean; readonly end: boolean };

/** Outcome of parsing a `blocks` file: the setting, or the `Invalid block descriptor` line. */
export type ParseBlocksResult = { ok: true; blocks: HashBlocks } | { ok: false; message: Buffer };

const startBit = 1;
const middleBit = 2;
const endBit = 4;

const normalSeparators = new Set([0x0a, 0x2c, 0x09, 0x20]); // \n , \t space
const newlineOnly = new Set([0x0a]);

// strsep(): the token up to the first separator, and the rest after it (null when none is left).
function readToken(text: Buffer, separators: ReadonlySet<number>): [Buffer, Buffer | null] {
  for (let i = 0; i < text.length; i++) {
    if (separators.has(text[i] as number)) return [text.subarray(0, i), text.subarray(i + 1)];
  }
  return [text, null];
}

// strcasecmp() in the C locale: ASCII letters only.
function formatAsciiLower(token: Buffer): string {
  return token.toString('latin1').replace(/[A-Z]/g, (c) => c.toLowerCase());
}

const keywordBits: ReadonlyMap<string, number> = new Map([
  ['start', startBit],
  ['middle', middleBit],
  ['end', endBit],
]);

/**
 * Parses `blocks` content: tokens separated by newline, comma, tab or space; `all` resets to
 * everything, `start`/`middle`/`end` accumulate (case-insensitive); anything else is invalid.
 */
export function parseBlocks(content: Buffer): ParseBlocksResult {
  // Upstream works on a C string, so a NUL byte ends the content.
  let rest: Buffer | null = readCString(content);
  let separators = normalSeparators;
  let mask = 0;
  while (rest !== null) {
    const [token, next]: [Buffer, Buffer | null] = readToken(rest, separators);
    rest = next;
    // QUIRK Q15: a token starting with `#` only makes the *next* token run to the end of the
    // line; that token is then read as a keyword, so `# comment` fails on `comment`.
    if (token[0] === 0x23) {
      separators = newlineOnly;
      continue;
    }
    separators = normalSeparators;
    if (token.length === 0) continue;
    const word = formatAsciiLower(token);
    if (word === 'all') {
      mask = 0;
      continue;
    }
    const bit = keywordBits.get(word);
    if (bit === undefined) {
      return { ok: false, message: concatBytes("Invalid block descriptor '", token, "'") };
    }
    mask |= bit;
  }
  if (mask === 0) return { ok: true, blocks: 'all' };
  return {
    ok: true,
    blocks: { start: (mask & startBit) !== 0, middle: (mask & middleBit) !== 0, end: (mask & endBit) !== 0 },
  };
}
