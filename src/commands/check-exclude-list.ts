// `--check` of one exclude file: lines upstream's reader drops or can never match (findings, with
// file and line) and lines an earlier line shadows (notes).
import { readFileSync } from 'node:fs';
import type { ExcludeRule } from '../exclude/exclude-rule.js';
import { lintExcludeList, type LineProblem } from '../exclude/lint-exclude-list.js';
import { parseExcludeList } from '../exclude/parse-exclude-list.js';
import { findShadowedRules } from '../exclude/shadowed-rules.js';
import { formatVisibleBytes, type CheckReport } from '../report/check-report.js';
import { quotePath, formatRuleText } from '../report/explain-lines.js';
import { quoteShellWord } from '../report/shell-quote.js';
import { formatErrno } from '../report/strerror.js';
import { concatBytes } from '../store/byte-text.js';

/** Reads and checks the exclude file at `path`; `unreadableFix` says what to do when it cannot be read. */
export function checkExcludeList(path: Buffer, report: CheckReport, unreadableFix: string | Buffer): void {
  report.checked.lists += 1;
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
    report.finding(path, concatBytes(
      `the exclude list cannot be read (${formatErrno(error)}): a real run refuses to start, and a dry run (like upstream's runs) excludes nothing (QUIRK Q08)`,
    ), unreadableFix);
    return;
  }
  // Findings and notes of one file in line order.
  const items: Array<{ line: number; add: () => void }> = [];
  const fixesGiven = new Set<string>();
  for (const problem of lintExcludeList(data)) {
    const fix = formatLineFix(problem, path);
    // One fix line per file for the same command (a CRLF file has it on every line).
    const key = fix?.toString('latin1');
    const newFix = key !== undefined && !fixesGiven.has(key) ? fix : undefined;
    if (key !== undefined) fixesGiven.add(key);
    items.push({ line: problem.line, add: () => report.finding(concatBytes(path, `:${problem.line}`), formatLineProblem(problem), newFix) });
  }
  for (const { rule, by } of findShadowedRules(parseExcludeList(data, path.toString('utf8')))) {
    items.push({
      line: rule.line,
      add: () => report.note(concatBytes(path, `:${rule.line}`), concatBytes(
        quoteRule(rule), ` never decides anything: line ${by.line} `, quoteRule(by), ' matches every path it matches, and comes first (the first match decides)',
      )),
    });
  }
  for (const item of items.sort((a, b) => a.line - b.line)) item.add();
}

function quoteRule(rule: ExcludeRule): Buffer {
  return quotePath(formatVisibleBytes(formatRuleText(rule)));
}

function formatLineProblem(problem: LineProblem): Buffer {
  const text = quotePath(formatVisibleBytes(problem.text));
  switch (problem.kind) {
    case 'no-final-newline':
      return concatBytes('the last line ', text, ' has no newline at its end, so it is ignored (QUIRK Q09)');
    case 'nul-byte': {
      const lost = problem.linesLost ?? 0;
      const what = lost === 0 ? 'it is' : `it and the ${lost === 1 ? 'line' : `${lost} lines`} after it are`;
      return concatBytes('the line ', text, ` holds a NUL byte, so ${what} ignored (QUIRK Q10)`);
    }
    case 'carriage-return':
      return concatBytes('the line ', text, ' ends in a carriage return (CRLF line ends), which stays in the pattern, so it never matches (QUIRK Q11)');
    case 'trailing-tab':
      return concatBytes('the line ', text, ' ends in a tab, which stays in the pattern, so it only matches names that end in a tab (QUIRK Q11)');
    case 'too-short':
      return concatBytes('the line ', text, ' is shorter than two bytes, so it is dropped (QUIRK Q12)');
    case 'leading-blank':
      return concatBytes('the pattern of ', text, " starts with a blank, which is part of the pattern, so it never matches: paths start with '/'");
    case 'no-leading-slash':
      return concatBytes('the pattern of ', text, " does not start with '/' or a wildcard, so it never matches: a pattern matches the whole path from the guest's root, such as '/usr/bin'");
  }
}

function formatLineFix(problem: LineProblem, path: Buffer): Buffer | undefined {
  const file = quoteShellWord(path);
  switch (problem.kind) {
    case 'no-final-newline':
      return concatBytes('echo >> ', file);
    case 'nul-byte':
      return concatBytes("tr -d '\\000' < ", file, ' > ', file, '.new && mv ', file, '.new ', file);
    case 'carriage-return':
    case 'trailing-tab':
      return concatBytes("sed -i 's/[[:space:]]*$//' ", file);
    case 'too-short':
      return Buffer.from("write the pattern out: a lone '*' or '/' is dropped; '/*' matches every path");
    case 'leading-blank':
      return Buffer.from('remove the blanks in front of the pattern');
    case 'no-leading-slash':
      return Buffer.from("start the pattern with '/' (or with '*' to match at any depth)");
  }
}
