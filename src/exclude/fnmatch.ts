// glibc's fnmatch(pattern, string, 0) in the C locale, byte for byte: how upstream vhashify
// matches exclude-list patterns against guest paths (spec 3.5). `*` and `?` cross `/` and match
// leading dots, `?` is one byte, `\` quotes the next byte; there are no braces or extglobs.

import { BRACKET_NO_MATCH, computeBracketStep } from './fnmatch-bracket.js';

const STAR = 0x2a;
const QUESTION = 0x3f;
const LBRACKET = 0x5b;
const BACKSLASH = 0x5c;
const UNKNOWN_STEP = -2;

type BracketStep = (open: number, byte: number) => number;

/** Whether `subject` matches `pattern` as glibc fnmatch(pattern, subject, 0) decides in the C locale. */
export function fnmatch(pattern: Buffer | string, subject: Buffer | string): boolean {
  const pat = normalizeCString(pattern);
  const sub = normalizeCString(subject);
  const step: BracketStep = (open, byte) => computeBracketStep(pat, pat.length, open, byte);
  return isMatchAt(pat, sub, sub.length, 0, 0, step);
}

/** A reusable matcher for one pattern: the same answers as fnmatch(), faster for many subjects. */
export function createFnmatch(pattern: Buffer | string): (subject: Buffer) => boolean {
  const pat = normalizeCString(pattern);
  const plen = pat.length;
  const prefix = findSpecial(pat, 0);
  if (prefix === plen) return (subject) => isSameCString(subject, pat);
  let afterStars = prefix;
  while (afterStars < plen && pat[afterStars] === STAR) afterStars++;
  if (afterStars === plen) return (subject) => hasPrefix(subject, pat, prefix);
  if (afterStars > prefix && findSpecial(pat, afterStars) === plen) {
    // `prefix*suffix` with both parts literal: no backtracking needed.
    const minLength = prefix + plen - afterStars;
    return (subject) => {
      const slen = findCLength(subject);
      return slen >= minLength && hasPrefix(subject, pat, prefix) && hasSuffix(subject, slen, pat, afterStars);
    };
  }
  // Bracket outcomes depend only on (position, byte): remember each one the first time it is needed.
  const tables = new Array<Int32Array | undefined>(plen);
  const step: BracketStep = (open, byte) => {
    let table = tables[open];
    if (table === undefined) tables[open] = table = new Int32Array(256).fill(UNKNOWN_STEP);
    let next = table[byte]!;
    if (next === UNKNOWN_STEP) table[byte] = next = computeBracketStep(pat, plen, open, byte);
    return next;
  };
  return (subject) => hasPrefix(subject, pat, prefix) && isMatchAt(pat, subject, findCLength(subject), prefix, prefix, step);
}

// Iterative star backtracking: each token consumes exactly one byte, and glibc itself commits to
// the earliest position at which the text between two stars fits, so only the most recent star
// ever needs to be retried. Time is O(pattern × subject), never exponential.
function isMatchAt(pat: Uint8Array, sub: Uint8Array, slen: number, p0: number, s0: number, step: BracketStep): boolean {
  const plen = pat.length;
  let p = p0;
  let s = s0;
  let starP = -1;
  let starS = 0;
  for (;;) {
    if (p < plen) {
      const c = pat[p]!;
      if (c === STAR) {
        do p++;
        while (p < plen && pat[p] === STAR);
        if (p === plen) return true;
        starP = p;
        starS = s;
        continue;
      }
      if (s < slen) {
        const b = sub[s]!;
        let next = BRACKET_NO_MATCH;
        if (c === QUESTION) next = p + 1;
        else if (c === LBRACKET) next = step(p, b);
        // A lone backslash at the very end never matches anything (spec 3.5).
        else if (c === BACKSLASH) next = p + 1 < plen && pat[p + 1] === b ? p + 2 : BRACKET_NO_MATCH;
        else if (c === b) next = p + 1;
        if (next >= 0) {
          p = next;
          s++;
          continue;
        }
      }
    } else if (s === slen) {
      return true;
    }
    if (starP < 0 || starS >= slen) return false;
    s = ++starS;
    p = starP;
  }
}

// Patterns and subjects are C strings upstream: a NUL byte ends them.
function normalizeCString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
}

function findCLength(subject: Buffer): number {
  const nul = subject.indexOf(0);
  return nul < 0 ? subject.length : nul;
}

function findSpecial(pat: Uint8Array, from: number): number {
  let i = from;
  while (i < pat.length) {
    const c = pat[i]!;
    if (c === STAR || c === QUESTION || c === LBRACKET || c === BACKSLASH) break;
    i++;
  }
  return i;
}

function isSameCString(subject: Buffer, pat: Buffer): boolean {
  if (subject.length === pat.length) return subject.equals(pat);
  return subject.length > pat.length && subject[pat.length] === 0 && hasPrefix(subject, pat, pat.length);
}

// The prefix holds no NUL, so a NUL in the subject inside it fails the comparison as C would.
function hasPrefix(subject: Buffer, pat: Uint8Array, length: number): boolean {
  if (subject.length < length) return false;
  for (let i = 0; i < length; i++) if (subject[i] !== pat[i]) return false;
  return true;
}

function hasSuffix(subject: Buffer, slen: number, pat: Uint8Array, from: number): boolean {
  const offset = slen - (pat.length - from);
  for (let i = from; i < pat.length; i++) if (subject[offset + i - from] !== pat[i]) return false;
  return true;
}
