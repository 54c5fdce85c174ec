// A unified-diff-like view of expected versus actual lines, so a failing golden comparison is easy to read.

/** Formats the differences between two line lists as `-expected` / `+actual` hunks with a little context. */
export function formatLineDiff(expected: readonly string[], actual: readonly string[], context = 3): string {
  const operations = computeOperations(expected, actual);
  const shown = operations.map((_, index) =>
    operations.slice(Math.max(0, index - context), index + context + 1).some((near) => near.kind !== ' '));
  const lines: string[] = ['--- expected', '+++ actual'];
  operations.forEach((operation, index) => {
    if (!shown[index]) return;
    if (index > 0 && !shown[index - 1]) lines.push('@@');
    lines.push(`${operation.kind}${operation.text}`);
  });
  return lines.join('\n');
}

/** Splits program output for a line diff; a missing final newline shows as its own marker line. */
export function formatOutputLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines.push('\\ No newline at end');
  return lines.map((line) => line.replace(/[\x00-\x09\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

interface Operation {
  kind: ' ' | '-' | '+';
  text: string;
}

// Plain LCS table: the compared texts are at most a few hundred lines.
function computeOperations(expected: readonly string[], actual: readonly string[]): Operation[] {
  const rows = expected.length + 1;
  const columns = actual.length + 1;
  const table = new Uint32Array(rows * columns);
  for (let i = expected.length - 1; i >= 0; i--) {
    for (let j = actual.length - 1; j >= 0; j--) {
      table[i * columns + j] = expected[i] === actual[j]
        ? table[(i + 1) * columns + j + 1]! + 1
        : Math.max(table[(i + 1) * columns + j]!, table[i * columns + j + 1]!);
    }
  }
  const operations: Operation[] = [];
  let i = 0;
  let j = 0;
  while (i < expected.length || j < actual.length) {
    if (i < expected.length && j < actual.length && expected[i] === actual[j]) {
      operations.push({ kind: ' ', text: expected[i]! });
      i++;
      j++;
    } else if (i < expected.length && (j === actual.length || table[(i + 1) * columns + j]! >= table[i * columns + j + 1]!)) {
      operations.push({ kind: '-', text: expected[i++]! });
    } else {
      operations.push({ kind: '+', text: actual[j++]! });
    }
  }
  return operations;
}
