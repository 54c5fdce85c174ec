// A heading and indented label/value rows with the values in one column: the text reports of
// `--overview`, `--gc` and `--audit`.

/** One row: label, then value (raw bytes where it holds a path). */
export type AlignedRow = readonly [label: string, value: string | Buffer];

/** The label width that aligns the values of several blocks in one column. */
export function computeLabelWidth(blocks: ReadonlyArray<readonly AlignedRow[]>): number {
  return Math.max(0, ...blocks.flat().map(([label]) => label.length));
}

/** `heading\n` then `  label   value\n` per row, values aligned after `width` (default: the longest label). */
export function formatAlignedRows(heading: Buffer | string, rows: readonly AlignedRow[], width = computeLabelWidth([rows])): Buffer {
  const parts: Buffer[] = [Buffer.from(heading), Buffer.from('\n')];
  for (const [label, value] of rows) parts.push(Buffer.from(`  ${label.padEnd(width)}  `), Buffer.from(value), Buffer.from('\n'));
  return Buffer.concat(parts);
}
