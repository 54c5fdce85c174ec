import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseListLines } from '../../src/exclude/parse-list-lines.js';

const texts = (data: string | Buffer) =>
  parseListLines(typeof data === 'string' ? Buffer.from(data, 'latin1') : data).map((e) => e.text.toString('latin1'));

describe('parseListLines', () => {
  it('returns each newline-terminated line with its 1-based line number', () => {
    const entries = parseListLines(Buffer.from('/etc\n# note\n\n/usr/lib\n'));
    assert.deepEqual(
      entries.map((e) => [e.text.toString(), e.line]),
      [['/etc', 1], ['/usr/lib', 4]],
    );
  });

  it('ignores a last line that has no newline (Q09)', () => {
    assert.deepEqual(texts('/a1\n/b2'), ['/a1']);
    assert.deepEqual(texts('/only-line'), []);
  });

  it('stops at the first NUL and drops the line holding it (Q10)', () => {
    assert.deepEqual(texts('/zz\n/a1\0/qa\n/x\n/c.tmp\n'), ['/zz']);
    assert.deepEqual(texts('/zz\n\0/qa\n/x\n'), ['/zz']);
    assert.deepEqual(texts('/zz\n/yy\0\n'), ['/zz']);
  });

  it('treats # as a comment only in column one', () => {
    assert.deepEqual(texts('#/etc\n #/etc\n/etc#\n'), [' #/etc', '/etc#']);
  });

  it('trims trailing spaces but keeps tabs and carriage returns (Q11)', () => {
    assert.deepEqual(texts('/trailing   \n/tab\t\n/crlf\r\n/mixed \t \n'), ['/trailing', '/tab\t', '/crlf\r', '/mixed \t']);
  });

  it('keeps leading spaces as part of the entry', () => {
    assert.deepEqual(texts(' /lead\n'), [' /lead']);
  });

  it('drops entries shorter than two bytes after trimming (Q12)', () => {
    assert.deepEqual(texts('\n*\n/\nx   \n \n  \n*  \nab\n a\n'), ['ab', ' a']);
  });

  it('returns nothing for an empty input', () => {
    assert.deepEqual(parseListLines(Buffer.alloc(0)), []);
  });

  it('keeps non-UTF-8 bytes unchanged', () => {
    const [entry] = parseListLines(Buffer.from([0x2f, 0xff, 0xc3, 0x0a]));
    assert.deepEqual(entry?.text, Buffer.from([0x2f, 0xff, 0xc3]));
  });

  it('copies the entry bytes so later changes to the input do not leak into them', () => {
    const data = Buffer.from('/etc\n');
    const [entry] = parseListLines(data);
    data.fill(0x78);
    assert.equal(entry?.text.toString(), '/etc');
  });
});
