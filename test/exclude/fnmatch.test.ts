import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFnmatch, fnmatch } from '../../src/exclude/fnmatch.js';
import { readFnmatchVectors } from './fnmatch-vectors.js';

const vectors = readFnmatchVectors();
const categories = [...new Set(vectors.map((v) => v.category))];

describe('fnmatch against the upstream vectors', () => {
  it('reads every row of fnmatch.tsv', () => {
    assert.equal(vectors.length, 459);
    assert.equal(categories.length, 12);
  });

  for (const category of categories) {
    it(`gives glibc's answer for every row of category ${category}`, () => {
      const rows = vectors.filter((v) => v.category === category);
      assert.ok(rows.length > 0);
      for (const v of rows) {
        const message = `row ${v.row}: ${JSON.stringify(v.text)}`;
        assert.equal(fnmatch(v.pattern, v.subject), v.matches, `fnmatch, ${message}`);
        assert.equal(createFnmatch(v.pattern)(v.subject), v.matches, `createFnmatch, ${message}`);
      }
    });
  }
});

// Expected values below were obtained from glibc 2.36 fnmatch(p, s, 0) under LC_ALL=C.
const glibcCases: Array<[pattern: string, subject: string, matches: boolean, why: string]> = [
  ['[[:alpha:][:digit:]]', '7', true, 'two classes in one expression'],
  ['[![:space:]]', '\t', false, 'a negated class'],
  ['[[:punct:]]', '_', true, 'underscore is punctuation in the C locale'],
  ['[[:alpha:]-z]', '-', true, 'a class cannot start a range, so - is a member'],
  ['[[:alpha:]-z]', 'y', true, 'and z is a member too'],
  ['[[:z:]]', 'z', false, 'z ends a class-name scan: [ : z : are members, then a literal ]'],
  ['[[:z:]]', ':]', true, 'the same pattern matching the colon and a literal ]'],
  ['[\\a-\\c]', 'b', true, 'escaped range ends'],
  ['[a\\]b]', ']', true, 'an escaped ] inside brackets is a member'],
  ['[a\\]b]', 'b', true, 'and the expression goes on after it'],
  ['[\\', '[\\', false, 'a backslash before the end of the pattern fails the expression'],
  ['[[', '[[', true, 'glibc 2.36: an unterminated [ is literal even after a member matched'],
  ['[*', '[xyz', true, 'after a literal [ the rest of the pattern is parsed normally'],
  ['[a-', 'a', false, 'a range with no end fails'],
  ['[[.a.]-]', 'a', false, 'glibc skips the symbol when a - follows, even without a range'],
  ['[[.a.]-]', '-', true, 'the - is then a member'],
  ['[a-[.c.]]', 'b', true, 'a collating symbol as a range end'],
  ['[[.ab.]]', 'a', false, 'multi-byte collating symbols do not exist in the C locale'],
  ['[[=a=]-c]', '-', true, 'an equivalence class cannot start a range'],
  ['[[=a=]-c]', 'b', false, 'so b is not in it'],
  ['[a[=b]', 'b', true, 'an unfinished [= is an ordinary ['],
  ['*[', 'x[', true, 'an unterminated [ after a star'],
  ['/etc/\\*', '/etc/*', true, 'an escaped star is literal'],
  ['/etc/\\*', '/etc/x', false, 'and matches nothing else'],
  ['*\\', 'a\\', false, 'a trailing lone backslash never matches, even after a star'],
];

describe('fnmatch edge cases measured against glibc', () => {
  for (const [pattern, subject, matches, why] of glibcCases) {
    it(`${matches ? 'matches' : 'rejects'} ${JSON.stringify(subject)} with ${JSON.stringify(pattern)}: ${why}`, () => {
      assert.equal(fnmatch(pattern, subject), matches);
      assert.equal(createFnmatch(pattern)(Buffer.from(subject)), matches);
    });
  }

  it('stops accepting a class name at 2048 bytes, as glibc 2.36 does', () => {
    const skipped = (n: number) => `[a[:${'a'.repeat(n)}:]]`;
    assert.equal(fnmatch(skipped(2046), 'a'), true);
    assert.equal(fnmatch(skipped(2047), 'a'), false);
    const scanned = (n: number) => `[[:${'a'.repeat(n)}1]`;
    assert.equal(fnmatch(scanned(2047), '['), true);
    assert.equal(fnmatch(scanned(2048), '['), false);
  });

  it('treats pattern and subject as C strings that end at the first NUL', () => {
    assert.equal(fnmatch(Buffer.from('ab\0zz'), 'ab'), true);
    assert.equal(fnmatch('ab', Buffer.from('ab\0zz')), true);
    assert.equal(createFnmatch('ab')(Buffer.from('ab\0zz')), true);
    assert.equal(createFnmatch('a*')(Buffer.from('a\0')), true);
    assert.equal(createFnmatch('a*z')(Buffer.from('a\0z')), false);
    assert.equal(createFnmatch('a?')(Buffer.from('a\0z')), false);
  });

  it('converts strings to UTF-8 so that ? is one byte of a character', () => {
    assert.equal(fnmatch('?', 'ü'), false);
    assert.equal(fnmatch('??', 'ü'), true);
    assert.equal(fnmatch('/r??', Buffer.from('/ré')), true);
  });
});

describe('fnmatch on pathological patterns', () => {
  const as = Buffer.alloc(10_000, 'a');

  it('rejects 10 kB of a with *a*a*a*a*a*b', () => {
    assert.equal(fnmatch('*a*a*a*a*a*b', as), false);
    assert.equal(createFnmatch('*a*a*a*a*a*b')(as), false);
  });

  it('accepts 10 kB of a with *a*a*a*a*a* and with a hundred *a groups', () => {
    assert.equal(createFnmatch('*a*a*a*a*a*')(as), true);
    assert.equal(createFnmatch('*a'.repeat(100))(as), true);
  });

  it('rejects 10 kB of a with a hundred *? groups followed by b', () => {
    assert.equal(createFnmatch(`${'*?'.repeat(100)}b`)(as), false);
  });

  it('handles a pattern of 2000 unterminated brackets against a subject of brackets', () => {
    const brackets = '['.repeat(2000);
    assert.equal(fnmatch(brackets, brackets), true);
    assert.equal(createFnmatch(`*${brackets}`)(Buffer.from(`x${brackets}`)), true);
  });
});

describe('createFnmatch fast paths', () => {
  const patterns = ['/etc/passwd', '/etc/*', '/etc/**', '/*/ls-R', '*.so', '/usr*lib', '/etc/[a-c]*', '/r??', '/usr/*/x*y'];
  const subjects = ['/etc/passwd', '/etc/passwd-', '/etc', '/etc/', '/etc/a/b', '/usr/share/texmf/ls-R', '/ls-R', '//ls-R',
    '/lib/libc.so', '/usr/lib', '/usrlib', '/usr/x/lib', '/etc/b', '/etc/d', '/ré', '/rx', '/usr/a/xy', '/usr/a/x/y', ''];

  it('agree with the plain matcher for literal, prefix, prefix-suffix and general patterns', () => {
    for (const pattern of patterns) {
      const test = createFnmatch(pattern);
      for (const subject of subjects) {
        assert.equal(test(Buffer.from(subject)), fnmatch(pattern, subject), `${pattern} vs ${subject}`);
      }
    }
  });

  it('give the expected answers on the default exclude list shapes', () => {
    assert.equal(createFnmatch('/etc/*')(Buffer.from('/etc/a/b')), true);
    assert.equal(createFnmatch('/etc/*')(Buffer.from('/etc')), false);
    assert.equal(createFnmatch('/*/ls-R')(Buffer.from('/usr/share/texmf/ls-R')), true);
    assert.equal(createFnmatch('/*/ls-R')(Buffer.from('/ls-R')), false);
    assert.equal(createFnmatch('/etc/passwd')(Buffer.from('/etc/passwd-')), false);
  });
});
