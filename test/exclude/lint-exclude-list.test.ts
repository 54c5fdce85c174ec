// Exclude-file lines that upstream's reader drops or can never match, found with the reader's own line numbers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lintExcludeList, type LineProblem } from '../../src/exclude/lint-exclude-list.js';
import { parseListLines } from '../../src/exclude/parse-list-lines.js';
import { repoRoot } from '../support/paths.js';

function lint(text: string | Buffer): Array<Pick<LineProblem, 'kind' | 'line'> & { text: string }> {
  return lintExcludeList(Buffer.from(text)).map(({ kind, line, text: bytes }) => ({ kind, line, text: bytes.toString('latin1') }));
}

describe('lintExcludeList', () => {
  it('finds nothing in the packaged default list', () => {
    assert.deepEqual(lintExcludeList(readFileSync(join(repoRoot, 'compat', 'vunify-exclude'))), []);
  });

  it('finds nothing in comments, blank lines, trailing spaces and wildcard starts', () => {
    assert.deepEqual(lint('# comment\n\n   \n/usr  \n+/opt\n~/etc/shadow\n-/var\n*/ls-R\n?x\n[a]b\n\\*x\n#last comment without newline'), []);
  });

  it('finds a last line without a newline (QUIRK Q09), but not a blank or commented one', () => {
    assert.deepEqual(lint('/usr\n/var'), [{ kind: 'no-final-newline', line: 2, text: '/var' }]);
    assert.deepEqual(lint('/usr\n  '), []);
  });

  it('finds a NUL byte and counts the lines it takes with it (QUIRK Q10)', () => {
    assert.deepEqual(lintExcludeList(Buffer.from('/usr\n/v\0ar\n/tmp\n/opt')), [
      { kind: 'nul-byte', line: 2, text: Buffer.from('/v\0ar'), linesLost: 2 },
    ]);
    assert.deepEqual(lintExcludeList(Buffer.from('/usr\n/var\0')), [{ kind: 'nul-byte', line: 2, text: Buffer.from('/var\0'), linesLost: 0 }]);
  });

  it('finds the carriage return of a CRLF file on every line, and a trailing tab (QUIRK Q11)', () => {
    assert.deepEqual(lint('/usr\r\n\r\n/var\t\n'), [
      { kind: 'carriage-return', line: 1, text: '/usr\r' },
      { kind: 'trailing-tab', line: 3, text: '/var\t' },
    ]);
  });

  it('finds lines of one byte, which are dropped (QUIRK Q12)', () => {
    assert.deepEqual(lint('*\n/\n+\nx  \n'), [
      { kind: 'too-short', line: 1, text: '*' },
      { kind: 'too-short', line: 2, text: '/' },
      { kind: 'too-short', line: 3, text: '+' },
      { kind: 'too-short', line: 4, text: 'x  ' },
    ]);
  });

  it('finds patterns that start with a blank or with a literal other than /, with or without a prefix', () => {
    assert.deepEqual(lint(' /usr\n+\t/opt\n # not a comment\nusr/lib\n~etc/shadow\n'), [
      { kind: 'leading-blank', line: 1, text: ' /usr' },
      { kind: 'leading-blank', line: 2, text: '+\t/opt' },
      { kind: 'leading-blank', line: 3, text: ' # not a comment' },
      { kind: 'no-leading-slash', line: 4, text: 'usr/lib' },
      { kind: 'no-leading-slash', line: 5, text: '~etc/shadow' },
    ]);
  });

  it("numbers lines as upstream's reader does", () => {
    const data = Buffer.from('# c\n\n/usr\n/x\r\n/opt\n');
    const kept = parseListLines(data).map((entry) => entry.line);
    assert.deepEqual(kept, [3, 4, 5]);
    assert.deepEqual(lintExcludeList(data).map((p) => p.line), [4]);
  });
});
