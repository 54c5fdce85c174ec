// A minimal reader for our man pages: the .TH fields, the .SH sections and the .TP tags in them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';

/** One man page, split the way the checks need it. */
export interface RoffPage {
  file: string;
  lines: string[];
  /** Every `.TH` line's arguments (a correct page has exactly one). */
  thLines: string[][];
  /** Section name (unquoted) → its lines, in order of appearance. */
  sections: Map<string, string[]>;
}

/** Splits a request's arguments the way roff does: blanks separate, double quotes group. */
export function parseRoffArguments(text: string): string[] {
  const args: string[] = [];
  const pattern = /"((?:[^"]|"")*)"|(\S+)/g;
  for (const match of text.matchAll(pattern)) args.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2]!);
  return args;
}

/** Reads `man/<name>` from the repository. */
export function readRoffPage(name: string): RoffPage {
  const file = join(repoRoot, 'man', name);
  const lines = readFileSync(file, 'utf8').split('\n');
  const thLines: string[][] = [];
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of lines) {
    if (line.startsWith('.TH ')) thLines.push(parseRoffArguments(line.slice(4)));
    if (line.startsWith('.SH ')) {
      current = [];
      sections.set(parseRoffArguments(line.slice(4)).join(' '), current);
      continue;
    }
    current?.push(line);
  }
  return { file, lines, thLines, sections };
}

/** The lines of one section; throws when the page lacks it, so a missing section fails loudly. */
export function readSection(page: RoffPage, name: string): string[] {
  const lines = page.sections.get(name);
  if (lines === undefined) throw new Error(`${page.file} has no section ${name}`);
  return lines;
}

/** The tag line of every `.TP` paragraph in these lines (the line right after `.TP`). */
export function findTags(lines: readonly string[]): string[] {
  const tags: string[] = [];
  lines.forEach((line, index) => {
    if (line.startsWith('.TP') && index + 1 < lines.length) tags.push(lines[index + 1]!);
  });
  return tags;
}

/** Turns the escapes our pages use back into the characters they print. */
export function formatPlainText(roff: string): string {
  return roff
    .replace(/\\-/g, '-')
    .replace(/\\\(ti/g, '~')
    .replace(/\\\(aq/g, "'")
    .replace(/\\e/g, '\\')
    .replace(/\\&/g, '')
    .replace(/\\f[BIRP]/g, '');
}

/** The lines between `.EX` and `.EE` of each example block in these lines. */
export function findExampleBlocks(lines: readonly string[]): string[][] {
  const blocks: string[][] = [];
  let block: string[] | undefined;
  for (const line of lines) {
    if (line === '.EX') block = [];
    else if (line === '.EE' && block !== undefined) {
      blocks.push(block);
      block = undefined;
    } else block?.push(line);
  }
  return blocks;
}
