// Evidence for the design notes: minimatch, asked for by users, cannot express upstream's
// exclude semantics (glibc fnmatch with flags 0, byte-wise). Paths are given to it as UTF-8
// strings, as a JavaScript caller naturally would.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minimatch, type MinimatchOptions } from 'minimatch';
import { fnmatch } from '../../src/exclude/fnmatch.js';
import { readFnmatchVectors, type FnmatchVector } from './fnmatch-vectors.js';

const vectors = readFnmatchVectors();

const optionSets: Array<[name: string, options: MinimatchOptions, mustDisagree: string[]]> = [
  ['default', {}, ['/usr/*\t/usr/bin/x', '*\t/', '?\tü', '{a,b}\ta', '!a\tb', '/*/ls-R\t/usr/share/texmf/ls-R']],
  ['{dot:true}', { dot: true }, ['/usr/*\t/usr/bin/x', '*\t/', '?\tü', '{a,b}\ta', '!a\tb', '/etc/*\t/etc/gconf/schemas/x.xml']],
  [
    '{dot, nobrace, noext, noglobstar, nocomment, nonegate}',
    { dot: true, nobrace: true, noext: true, noglobstar: true, nocomment: true, nonegate: true },
    ['/usr/*\t/usr/bin/x', '*\t/', '?\tü', '/*/ls-R\t/usr/share/texmf/ls-R', '/etc/*\t/etc/gconf/schemas/x.xml', '[[:alpha:]]\té', 'a\\\ta\\'],
  ],
];

function findRow(patternAndSubject: string): FnmatchVector {
  const row = vectors.find((v) => v.text.startsWith(`${patternAndSubject}\t`));
  assert.ok(row, `no vector row ${JSON.stringify(patternAndSubject)}`);
  return row;
}

function isAgreeing(v: FnmatchVector, options: MinimatchOptions): boolean {
  return minimatch(v.subject.toString('utf8'), v.pattern.toString('utf8'), options) === v.matches;
}

describe('minimatch compared with the fnmatch vectors', () => {
  for (const [name, options, mustDisagree] of optionSets) {
    it(`disagrees with upstream on many rows with options ${name}`, (t) => {
      const disagreeing = vectors.filter((v) => !isAgreeing(v, options));
      t.diagnostic(`minimatch ${name}: ${disagreeing.length} of ${vectors.length} rows disagree`);
      assert.ok(disagreeing.length >= 50, `only ${disagreeing.length} rows disagree`);
      for (const text of mustDisagree) {
        const row = findRow(text);
        assert.equal(isAgreeing(row, options), false, `row ${row.row} ${JSON.stringify(row.text)} should disagree`);
        // The row is not a fluke of the vectors: our matcher gives upstream's answer.
        assert.equal(fnmatch(row.pattern, row.subject), row.matches);
      }
    });
  }

  it('fails the default exclude list: /etc/* would hashify files deeper below /etc', () => {
    const strict = optionSets[2]![1];
    assert.equal(minimatch('/etc/ssh/sshd_config', '/etc/*', strict), false);
    assert.equal(fnmatch('/etc/*', '/etc/ssh/sshd_config'), true);
  });
});
