// stderr of a raced run, line by line: which lines are of an expected kind, and how many of each.

/** The lines of an output, raw bytes as latin1 text, without empty ones. */
export function parseOutputLines(output: Buffer): string[] {
  return output.toString('latin1').split('\n').filter((line) => line !== '');
}

/** The lines that match none of the expected kinds. */
export function findUnexpectedLines(lines: readonly string[], expected: readonly RegExp[]): string[] {
  return lines.filter((line) => !expected.some((re) => re.test(line)));
}

/** "N× shape" per kind of line, with quoted names replaced by '…', most frequent first. */
export function formatLineSummary(lines: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const shape = line.replace(/'[^']*'/g, "'…'");
    counts.set(shape, (counts.get(shape) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([shape, n]) => `${n}× ${shape}`).join('; ') || 'none';
}
