// Loads /work/shared/vectors/fnmatch.tsv: glibc fnmatch results captured from the upstream setup.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vectorsDir } from '../support/paths.js';

/** One row of fnmatch.tsv, fields decoded to bytes. */
export interface FnmatchVector {
  row: number;
  pattern: Buffer;
  subject: Buffer;
  matches: boolean;
  category: string;
  /** The row as written in the file, for messages. */
  text: string;
}

/** Every row of fnmatch.tsv (header excluded); `row` is the 1-based line number in the file. */
export function readFnmatchVectors(): FnmatchVector[] {
  const lines = readFileSync(join(vectorsDir, 'fnmatch.tsv'), 'utf8').split('\n');
  if (lines[0] !== 'pattern\tstring\tresult\tcategory') throw new Error('unexpected fnmatch.tsv header');
  const rows: FnmatchVector[] = [];
  lines.forEach((text, index) => {
    if (index === 0 || text === '') return;
    const [pattern, subject, result, category] = text.split('\t');
    if (category === undefined || (result !== '0' && result !== '1')) throw new Error(`bad row ${index + 1}: ${text}`);
    rows.push({ row: index + 1, pattern: decodeField(pattern!), subject: decodeField(subject!), matches: result === '0', category, text });
  });
  return rows;
}

// `%XX` is one raw byte; everything else is literal UTF-8 (vectors/README.md).
function decodeField(field: string): Buffer {
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of field.matchAll(/%([0-9A-F]{2})/g)) {
    parts.push(Buffer.from(field.slice(last, m.index), 'utf8'), Buffer.from([parseInt(m[1]!, 16)]));
    last = m.index! + 3;
  }
  parts.push(Buffer.from(field.slice(last), 'utf8'));
  return Buffer.concat(parts);
}
