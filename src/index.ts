// The package's library entry: what other programs may import from `vhashify`.

/** glibc `fnmatch(pattern, subject, 0)` in the C locale, byte-wise: `*` and `?` match `/`. */
export { fnmatch, createFnmatch } from './exclude/fnmatch.js';
/** Exclude-list parsing with upstream's quirks, and first-match-wins decisions. */
export { parseExcludeList, parseConffileList } from './exclude/parse-exclude-list.js';
export { createMatchList, type MatchDecision, type MatchList } from './exclude/match-list.js';
export type { ExcludeRule, RuleKind } from './exclude/exclude-rule.js';
/** Store naming: attribute header, digest path and counter suffix. */
export { packAttrHeader, attributesFromStats, type HashedAttributes } from './hash/attr-header.js';
export { formatDigestPath, formatCounterSuffix, formatEntryPath } from './store/entry-path.js';
/** The command itself, as a function returning the exit status. */
export { main, type MainEnvironment } from './cli/main.js';
