// The `blocksize` file of a hash dir, parsed like C strtol(…, 0). Validated only: QUIRK Q16,
// it never influences hashing.
import { concatBytes, normalizeConfigValue, readCString } from './byte-text.js';

/** Outcome of parsing `blocksize`: the value as a C size_t, or failure with its message if any. */
export type ParseBlocksizeResult = { ok: true; blocksize: bigint } | { ok: false; message?: Buffer };

const longMax = (1n << 63n) - 1n;
const longMin = -(1n << 63n);

function isCSpace(byte: number | undefined): boolean {
  return byte === 0x20 || (byte !== undefined && byte >= 0x09 && byte <= 0x0d);
}

function readDigitValue(byte: number | undefined): number {
  if (byte === undefined) return 99;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x7a) return byte - 0x61 + 10;
  if (byte >= 0x41 && byte <= 0x5a) return byte - 0x41 + 10;
  return 99;
}

/**
 * C strtol() with base 0 in the C locale: leading white space, optional sign, `0x` hex,
 * leading-`0` octal, else decimal; clamps on overflow. `end` is the index where parsing
 * stopped, 0 when no digits were found (strtol's endptr == nptr).
 */
export function parseCLong(text: Buffer): { value: bigint; end: number } {
  let i = 0;
  while (isCSpace(text[i])) i++;
  let negative = false;
  if (text[i] === 0x2b || text[i] === 0x2d) {
    negative = text[i] === 0x2d;
    i++;
  }
  let base = 10;
  if (text[i] === 0x30) {
    const isHexPrefix = (text[i + 1] === 0x78 || text[i + 1] === 0x58) && readDigitValue(text[i + 2]) < 16;
    base = isHexPrefix ? 16 : 8;
    if (isHexPrefix) i += 2;
  }
  const firstDigit = i;
  let magnitude = 0n;
  while (readDigitValue(text[i]) < base) {
    magnitude = magnitude * BigInt(base) + BigInt(readDigitValue(text[i]));
    i++;
  }
  if (i === firstDigit) return { value: 0n, end: 0 };
  const value = negative ? -magnitude : magnitude;
  return { value: value > longMax ? longMax : value < longMin ? longMin : value, end: i };
}

/**
 * Parses `blocksize` content: trailing `\n`/NUL stripped, then strtol with automatic base; junk
 * after the number is refused unless it starts with a newline (`16\nfoo` is 16).
 */
export function parseBlocksize(content: Buffer): ParseBlocksizeResult {
  const text = readCString(normalizeConfigValue(content));
  const { value, end } = parseCLong(text);
  if (end === 0 || (end < text.length && text[end] !== 0x0a)) {
    return { ok: false, message: concatBytes("Failed to parse blocksize '", text, "'") };
  }
  // Upstream stores the long in a size_t whose all-ones value means "failed".
  const blocksize = BigInt.asUintN(64, value);
  // QUIRK Q17: so a value of -1 fails without any message of its own.
  if (blocksize === BigInt.asUintN(64, -1n)) return { ok: false };
  return { ok: true, blocksize };
}
