// Entries of a list that can never decide anything because an earlier entry matches every path they
// match (first match wins, spec 3.4). Only sure cases are reported, never a guess: the same pattern
// twice; a pattern without wildcards that an earlier one matches; a pattern all of whose matches
// start with the literal prefix of an earlier `prefix*` (a `*` crosses `/`).
import type { ExcludeRule } from './exclude-rule.js';
import { fnmatch } from './fnmatch.js';

/** A shadowed entry and the earlier one that decides every path it would match. */
export interface ShadowedRule {
  rule: ExcludeRule;
  by: ExcludeRule;
}

const STAR = 0x2a;
const SPECIALS = [0x2a, 0x3f, 0x5b, 0x5c]; // * ? [ backslash

/** Where the first wildcard (or backslash) is; the length when there is none. */
function findSpecial(pattern: Buffer): number {
  const at = pattern.findIndex((byte) => SPECIALS.includes(byte));
  return at < 0 ? pattern.length : at;
}

/** For `prefix*` (one or more trailing stars, nothing else special): the literal prefix. */
function findStarPrefix(pattern: Buffer): Buffer | undefined {
  const special = findSpecial(pattern);
  if (special === pattern.length) return undefined;
  for (let at = special; at < pattern.length; at += 1) if (pattern[at] !== STAR) return undefined;
  return pattern.subarray(0, special);
}

/** Whether `earlier` matches every path `later` matches (sure cases only). */
export function isShadowedBy(later: Buffer, earlier: Buffer): boolean {
  if (later.equals(earlier)) return true;
  const special = findSpecial(later);
  if (special === later.length) return fnmatch(earlier, later);
  const prefix = findStarPrefix(earlier);
  // Every match of `later` starts with its literal prefix; `prefix*` matches everything that starts with `prefix`.
  return prefix !== undefined && special >= prefix.length && later.subarray(0, prefix.length).equals(prefix);
}

/**
 * Every entry that an earlier entry shadows, with the first such earlier entry. Conffile entries
 * are literal (compared byte for byte), which the checks above treat correctly as well.
 */
export function findShadowedRules(rules: readonly ExcludeRule[]): ShadowedRule[] {
  const shadowed: ShadowedRule[] = [];
  rules.forEach((rule, index) => {
    for (let before = 0; before < index; before += 1) {
      const by = rules[before]!;
      const earlierPattern = by.literal === true ? escapeLiteral(by.pattern) : by.pattern;
      const laterPattern = rule.literal === true ? escapeLiteral(rule.pattern) : rule.pattern;
      if (isShadowedBy(laterPattern, earlierPattern)) {
        shadowed.push({ rule, by });
        return;
      }
    }
  });
  return shadowed;
}

// A literal entry as a pattern that matches exactly its bytes.
function escapeLiteral(bytes: Buffer): Buffer {
  const out: number[] = [];
  for (const byte of bytes) {
    if (SPECIALS.includes(byte)) out.push(0x5c);
    out.push(byte);
  }
  return Buffer.from(out);
}
