// One `/var/lib/dpkg/info/<package>.conffiles` file turned into conffile entries (spec 3.2, 4.4).
import type { ExcludeRule } from '../exclude/exclude-rule.js';
import { parseConffileList } from '../exclude/parse-exclude-list.js';

const NEWLINE = 0x0a;
const SLASH = 0x2f;
const SPACE = 0x20;

/**
 * The entries of one conffiles file, each compared by exact bytes. Two differences from
 * upstream's `cat /var/lib/dpkg/info/*.conffiles`, both deliberate:
 * - IMPROVEMENT over QUIRK Q09 as `cat` applies it: a file whose last line has no `\n` keeps that
 *   line. `cat` would glue it to the next file's first line (two conffiles lost, a nonsense path
 *   added) and drop it when it is the last file. dpkg always ends lines with `\n`; a hand-edited
 *   file without one still means every line it shows, which is what an admin expects.
 * - Each file is parsed on its own, so a NUL byte (QUIRK Q10) only ends the file holding it, not
 *   every later package's list, and each entry names its own file and line for `--explain`.
 */
export function parseDpkgConffiles(data: Buffer, source: string): ExcludeRule[] {
  const text = data.length > 0 && data[data.length - 1] !== NEWLINE ? Buffer.concat([data, Buffer.from('\n')]) : data;
  return parseConffileList(text, source).map((rule) => ({ ...rule, pattern: stripConffileFlags(rule.pattern) }));
}

/**
 * The path of a conffiles line. IMPROVEMENT (spec 14 q7): newer dpkg writes flagged lines such as
 * `remove-on-upgrade /etc/foo`; upstream takes them literally (never matching), we take the path
 * they name. Flags are lower-case words before the first ` /`; any other line stays as it is.
 */
export function stripConffileFlags(line: Buffer): Buffer {
  if (line[0] === SLASH) return line;
  const at = line.indexOf(' /');
  // Words separated by single spaces: no leading, doubled or trailing blank.
  if (at <= 0 || line[at - 1] === SPACE) return line;
  for (let i = 0; i < at; i++) {
    const b = line[i]!;
    const isFlagByte = (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === SPACE;
    if (!isFlagByte || (b === SPACE && line[i - 1] === SPACE)) return line;
  }
  return line.subarray(at + 1);
}
