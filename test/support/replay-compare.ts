// Comparisons of a replayed run with its golden expectation, each mismatch as a readable report with a line diff.
import { formatLineDiff, formatOutputLines } from './tree-diff.js';
import { formatStateLine } from './tree-state.js';
import type { ListingEntry } from './tree-vectors.js';

/** The exit status of a run against the expected one; empty when they agree. */
export function compareExitCode(expected: number, actual: number): string[] {
  return actual === expected ? [] : [`exit code: expected ${expected}, got ${actual}`];
}

/** One output stream (named by `what`) against its exact expected text; empty when they agree. */
export function compareText(what: string, expected: string, actual: Buffer): string[] {
  if (actual.equals(Buffer.from(expected, 'utf8'))) return [];
  const actualText = actual.toString('utf8');
  const diff = formatLineDiff(formatOutputLines(expected), formatOutputLines(actualText));
  // Bytes that are not UTF-8 display like U+FFFD; say so rather than show an empty diff.
  const note = actualText === expected ? '\n(the difference is in bytes that are not valid UTF-8)' : '';
  return [`${what} differs:\n${diff}${note}`];
}

/** A STATE or CONFIG listing against the expected one, line by line; `what` names the listing and its source. */
export function compareListing(what: string, expected: readonly ListingEntry[], actual: readonly ListingEntry[]): string[] {
  const expectedLines = expected.map(formatStateLine);
  const actualLines = actual.map(formatStateLine);
  if (expectedLines.length === actualLines.length && expectedLines.every((line, i) => line === actualLines[i])) return [];
  return [`${what}:\n${formatLineDiff(expectedLines, actualLines)}`];
}
