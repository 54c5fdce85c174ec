// The text of `--explain`: labelled lines (`label: text`), paths as raw bytes in single quotes.
import type { ExcludeRule } from '../exclude/exclude-rule.js';
import type { MatchDecision } from '../exclude/match-list.js';
import { concatBytes } from '../store/byte-text.js';
import type { FileStat } from '../sys/file-stat.js';

/** One labelled line; continuation lines of `text` are indented by two spaces. */
export function formatLabelled(label: string | Buffer, text: string | Buffer): Buffer {
  const body = typeof text === 'string' ? Buffer.from(text) : text;
  const lines: Buffer[] = [];
  let start = 0;
  for (let at = body.indexOf(0x0a); at >= 0; at = body.indexOf(0x0a, start)) {
    lines.push(body.subarray(start, at));
    start = at + 1;
  }
  if (start < body.length) lines.push(body.subarray(start));
  return Buffer.concat(lines.map((line, i) => (i === 0 ? concatBytes(label, ': ', line, '\n') : concatBytes('  ', line, '\n'))));
}

/** `'path'` (raw bytes). */
export function quotePath(path: Buffer | string): Buffer {
  return concatBytes("'", path, "'");
}

/** An exclude-file entry as it was most likely written: its prefix (`+`, `~`, `-`) and pattern. */
export function formatRuleText(rule: ExcludeRule): Buffer {
  if (rule.literal === true) return rule.pattern;
  if (rule.kind === 'include') return concatBytes('+', rule.pattern);
  if (rule.kind === 'skip') return concatBytes('~', rule.pattern);
  // Without a prefix the whole line is the pattern; a pattern that starts like a prefix needed `-`.
  return [0x2b, 0x7e, 0x2d].includes(rule.pattern[0]!) ? concatBytes('-', rule.pattern) : rule.pattern;
}

/** Which entry decided a path, and how: `excluded by '<file>' line 4: ~/etc/passwd`. */
export function formatDecision(decision: MatchDecision): Buffer {
  const { rule } = decision;
  if (rule === undefined) return Buffer.from('included: no entry of the lists matches it (the default)');
  if (rule.literal === true) {
    return concatBytes("excluded: it is a package's configuration file (", rule.source, ` line ${rule.line})`);
  }
  const verb = rule.kind === 'include' ? 'included' : 'excluded';
  return concatBytes(verb, ' by ', quotePath(rule.source), ` line ${rule.line}: `, formatRuleText(rule));
}

/** What kind of entry lstat found: `a regular file`, `a symbolic link to 'x'`, … */
export function formatEntryType(stat: FileStat, linkTarget?: Buffer): Buffer {
  if (stat.isFile()) return Buffer.from('a regular file');
  if (stat.isDirectory()) return Buffer.from('a directory');
  if (stat.isSymbolicLink()) return linkTarget === undefined ? Buffer.from('a symbolic link') : concatBytes('a symbolic link to ', quotePath(linkTarget));
  if (stat.isFIFO()) return Buffer.from('a fifo');
  if (stat.isSocket()) return Buffer.from('a socket');
  if (stat.isCharacterDevice()) return Buffer.from('a character device');
  if (stat.isBlockDevice()) return Buffer.from('a block device');
  return Buffer.from('an entry of unknown type');
}

/** `major:minor` of a device number (glibc's makedev layout). */
export function formatDevice(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `${major}:${minor}`;
}

/** The attributes a digest and the entry comparison depend on, in one line. */
export function formatFileFacts(stat: FileStat): string {
  const mode = (stat.mode & 0o7777n).toString(8).padStart(4, '0');
  const links = stat.nlink === 1n ? '1 link' : `${stat.nlink} links`;
  return `${stat.size} bytes, mode ${mode}, owner ${stat.uid}, group ${stat.gid}, ${links}, device ${formatDevice(stat.dev)}, inode ${stat.ino}`;
}
