// One `[...]` expression of an fnmatch pattern, judged for one subject byte as glibc 2.36 does in
// the C locale (no collation rules: ranges compare byte values, `[.x.]`/`[=x=]` name one byte).

import { findCLocaleClass } from './c-locale-class.js';

/** What computeBracketStep returns when the subject byte is not accepted. */
export const BRACKET_NO_MATCH = -1;

// Internal marker: the `[` of `[:`/`[=` does not start a class, it is an ordinary member.
const NOT_SPECIAL = -2;
// Internal marker: the expression has no closing `]` before the end of the pattern.
const UNTERMINATED = -3;

const NUL = 0x00;
const BANG = 0x21;
const DASH = 0x2d;
const DOT = 0x2e;
const COLON = 0x3a;
const EQUALS = 0x3d;
const LBRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RBRACKET = 0x5d;
const CARET = 0x5e;
const LOWER_A = 0x61;
const LOWER_Z = 0x7a;

// glibc 2.36 rejects a `[:name:]` once the name reaches this many bytes (measured against it).
const CLASS_NAME_LIMIT = 2048;

/** Offset where matching resumes after the `[` at `open` consumed `byte`, or BRACKET_NO_MATCH. */
export function computeBracketStep(pattern: Uint8Array, length: number, open: number, byte: number): number {
  // Resumes past the closing `]` normally, at `open + 1` when the `[` turned out to be an
  // ordinary byte. `length` ends the pattern like a C string: reads past it see NUL.
  const at = (i: number): number => (i < length ? pattern[i]! : NUL);
  // An unterminated `[` stands for itself and matching resumes right after it (spec 3.5).
  const asLiteral = byte === LBRACKET ? open + 1 : BRACKET_NO_MATCH;
  let p = open + 1;
  const negated = at(p) === BANG || at(p) === CARET;
  if (negated) p++;
  const accept = (from: number): number => {
    const end = findMatchedBracketEnd(pattern, length, from);
    if (end === UNTERMINATED) return asLiteral;
    return negated ? BRACKET_NO_MATCH : end;
  };

  // The first member is read before any `]` test, which is why a leading `]` is literal.
  let c = at(p++);
  for (;;) {
    let low = -1;
    if (c === NUL) return asLiteral;
    if (c === BACKSLASH) {
      if (at(p) === NUL) return BRACKET_NO_MATCH;
      c = at(p++);
    } else if (c === LBRACKET && (at(p) === COLON || at(p) === EQUALS)) {
      const isClass = at(p) === COLON;
      const end = isClass ? findClassEnd(pattern, length, p) : findEquivalenceEnd(pattern, length, p);
      if (end === BRACKET_NO_MATCH) return BRACKET_NO_MATCH;
      if (end !== NOT_SPECIAL) {
        if (isClass) {
          const test = findCLocaleClass(String.fromCharCode(...pattern.subarray(p + 1, end - 2)));
          if (test === undefined) return BRACKET_NO_MATCH;
          if (test(byte)) return accept(end);
        } else if (byte === at(p + 1)) {
          return accept(end);
        }
        // A class or equivalence class never starts a range: a following `-` is a member.
        p = end;
        c = at(p++);
        if (c === RBRACKET) break;
        continue;
      }
    } else if (c === LBRACKET && at(p) === DOT) {
      const end = findCollatingEnd(pattern, length, p);
      if (end === BRACKET_NO_MATCH) return BRACKET_NO_MATCH;
      const symbol = at(p + 1);
      p = end;
      // glibc skips the direct comparison whenever a `-` follows, even `[[.a.]-]` (no range).
      if (!(at(p) === DASH && at(p + 1) !== NUL) && byte === symbol) return accept(p);
      low = symbol;
      c = at(p++);
    }
    if (low < 0) {
      const rangeFollows = at(p) === DASH && at(p + 1) !== NUL && at(p + 1) !== RBRACKET;
      if (!rangeFollows && c === byte) return accept(p);
      low = c;
      c = at(p++);
    }
    if (c === DASH && at(p) !== RBRACKET) {
      let high = at(p++);
      if (high === LBRACKET && at(p) === DOT) {
        const end = findCollatingEnd(pattern, length, p);
        if (end === BRACKET_NO_MATCH) return BRACKET_NO_MATCH;
        high = at(p + 1);
        p = end;
      } else {
        if (high === BACKSLASH) high = at(p++);
        if (high === NUL) return BRACKET_NO_MATCH;
      }
      if (low <= byte && byte <= high) return accept(p);
      c = at(p++);
    }
    if (c === RBRACKET) break;
  }
  return negated ? p : BRACKET_NO_MATCH;
}

// After `[:` (colon at `colon`): offset past `:]`, NOT_SPECIAL when a byte outside `a`..`y`
// shows it is no class name (glibc tests `< 'z'`), BRACKET_NO_MATCH when the name is too long.
function findClassEnd(pattern: Uint8Array, length: number, colon: number): number {
  const at = (i: number): number => (i < length ? pattern[i]! : NUL);
  for (let q = colon + 1, count = 0; ; q++, count++) {
    if (count === CLASS_NAME_LIMIT) return BRACKET_NO_MATCH;
    const c = at(q);
    if (c === COLON && at(q + 1) === RBRACKET) return q + 2;
    if (c < LOWER_A || c >= LOWER_Z) return NOT_SPECIAL;
  }
}

// After `[=` (at `equals`): offset past `=]` when exactly one byte sits between, else NOT_SPECIAL.
function findEquivalenceEnd(pattern: Uint8Array, length: number, equals: number): number {
  const at = (i: number): number => (i < length ? pattern[i]! : NUL);
  if (at(equals + 1) === NUL) return NOT_SPECIAL;
  return at(equals + 2) === EQUALS && at(equals + 3) === RBRACKET ? equals + 4 : NOT_SPECIAL;
}

// After `[.` (at `dot`): offset past `.]`; the C locale only knows one-byte collating symbols.
function findCollatingEnd(pattern: Uint8Array, length: number, dot: number): number {
  const at = (i: number): number => (i < length ? pattern[i]! : NUL);
  for (let q = dot + 1; ; q++) {
    const c = at(q);
    if (c === DOT && at(q + 1) === RBRACKET) return q - dot === 2 ? q + 2 : BRACKET_NO_MATCH;
    if (c === NUL) return BRACKET_NO_MATCH;
  }
}

// Once a member matched, glibc skips to the closing `]` with a simpler scanner of its own; its
// rules differ slightly from the member parser above, and both are reproduced as they are.
function findMatchedBracketEnd(pattern: Uint8Array, length: number, from: number): number {
  const at = (i: number): number => (i < length ? pattern[i]! : NUL);
  let p = from;
  for (;;) {
    const c = at(p++);
    if (c === RBRACKET) return p;
    if (c === NUL) return UNTERMINATED;
    if (c === BACKSLASH) {
      if (at(p) === NUL) return BRACKET_NO_MATCH;
      p++;
    } else if (c === LBRACKET && at(p) === COLON) {
      for (let q = p + 1, count = 1; ; q++, count++) {
        if (count === CLASS_NAME_LIMIT) return BRACKET_NO_MATCH;
        if (at(q) === COLON && at(q + 1) === RBRACKET) {
          p = q + 2;
          break;
        }
        if (at(q) < LOWER_A || at(q) >= LOWER_Z) break;
      }
    } else if (c === LBRACKET && at(p) === EQUALS) {
      if (at(p + 1) === NUL || at(p + 2) !== EQUALS || at(p + 3) !== RBRACKET) return BRACKET_NO_MATCH;
      p += 4;
    } else if (c === LBRACKET && at(p) === DOT) {
      let q = p + 1;
      for (; !(at(q) === DOT && at(q + 1) === RBRACKET); q++) {
        if (at(q) === NUL) return BRACKET_NO_MATCH;
      }
      p = q + 2;
    }
  }
}
