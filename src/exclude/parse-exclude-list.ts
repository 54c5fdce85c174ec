// Exclude files and conffile lists turned into match-list entries (spec 3.3 and 4.4).

import type { ExcludeRule, RuleKind } from './exclude-rule.js';
import { parseListLines } from './parse-list-lines.js';

const PREFIXES: ReadonlyMap<number, RuleKind> = new Map<number, RuleKind>([
  [0x2b, 'include'], // +
  [0x7e, 'skip'], // ~
  [0x2d, 'exclude'], // -
]);

/** Entries of an exclude file: `+` include, `~` skip, `-` or no prefix exclude, in file order. */
export function parseExcludeList(data: Buffer, source: string): ExcludeRule[] {
  return parseListLines(data).map(({ text, line }): ExcludeRule => {
    // Only one prefix byte is consumed: `++x` includes the pattern `+x`.
    const kind = PREFIXES.get(text[0]!);
    if (kind === undefined) return { kind: 'exclude', pattern: text, source, line };
    return { kind, pattern: text.subarray(1), source, line };
  });
}

/** Entries of a `vpkg get-conffiles` listing: every line excludes exactly that path, no prefixes. */
export function parseConffileList(data: Buffer, source: string): ExcludeRule[] {
  return parseListLines(data).map(
    ({ text, line }): ExcludeRule => ({ kind: 'exclude', pattern: text, source, line, literal: true }),
  );
}
