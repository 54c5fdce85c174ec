import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDpkgConffiles, stripConffileFlags } from '../../src/config/parse-dpkg-conffiles.js';

const patterns = (data: string | Buffer): string[] =>
  parseDpkgConffiles(typeof data === 'string' ? Buffer.from(data) : data, 'x.conffiles').map((r) => r.pattern.toString('latin1'));

describe('parseDpkgConffiles', () => {
  it('gives exact-match exclude entries with their file and line', () => {
    const rules = parseDpkgConffiles(Buffer.from('/etc/a.conf\n/usr/share/b\n'), '/g/var/lib/dpkg/info/p.conffiles');
    assert.deepEqual(
      rules.map((r) => [r.kind, r.pattern.toString(), r.literal, r.source, r.line]),
      [
        ['exclude', '/etc/a.conf', true, '/g/var/lib/dpkg/info/p.conffiles', 1],
        ['exclude', '/usr/share/b', true, '/g/var/lib/dpkg/info/p.conffiles', 2],
      ],
    );
  });

  it('takes a flagged line as the path it names', () => {
    assert.deepEqual(patterns('remove-on-upgrade /etc/old.conf\n/etc/new.conf\n'), ['/etc/old.conf', '/etc/new.conf']);
  });

  it('keeps a last line without a newline (cat would glue it to the next file)', () => {
    assert.deepEqual(patterns('/etc/a\n/etc/b'), ['/etc/a', '/etc/b']);
    assert.deepEqual(patterns(''), []);
  });

  it('applies the list rules of spec 3.2: comments, trailing blanks, short lines, NUL', () => {
    assert.deepEqual(patterns('#/etc/c\n/etc/d   \n/\n\n/etc/e\0junk\n/etc/f\n'), ['/etc/d']);
    assert.deepEqual(patterns('/etc/crlf\r\n'), ['/etc/crlf\r']);
  });
});

describe('stripConffileFlags', () => {
  it('strips lower-case flag words before the path and nothing else', () => {
    const strip = (s: string): string => stripConffileFlags(Buffer.from(s)).toString();
    assert.equal(strip('remove-on-upgrade /etc/x'), '/etc/x');
    assert.equal(strip('flag-a flag2 /etc/x'), '/etc/x');
    assert.equal(strip('/etc/with space /x'), '/etc/with space /x');
    assert.equal(strip(' /etc/x'), ' /etc/x');
    assert.equal(strip('Flag /etc/x'), 'Flag /etc/x');
    assert.equal(strip('a  /etc/x'), 'a  /etc/x');
    assert.equal(strip('noslash'), 'noslash');
  });
});
