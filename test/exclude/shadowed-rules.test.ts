// Entries that an earlier entry shadows: only sure cases, each checked against the match list itself.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createMatchList } from '../../src/exclude/match-list.js';
import { parseConffileList, parseExcludeList } from '../../src/exclude/parse-exclude-list.js';
import { findShadowedRules, isShadowedBy } from '../../src/exclude/shadowed-rules.js';
import { repoRoot } from '../support/paths.js';

function shadowed(list: string): Array<[number, number]> {
  return findShadowedRules(parseExcludeList(Buffer.from(list), 'list')).map(({ rule, by }) => [rule.line, by.line]);
}

describe('findShadowedRules', () => {
  it('finds nothing in the packaged default list', () => {
    assert.deepEqual(findShadowedRules(parseExcludeList(readFileSync(join(repoRoot, 'compat', 'vunify-exclude')), 'default')), []);
  });

  it('finds a pattern given twice, whatever the prefixes', () => {
    assert.deepEqual(shadowed('/usr\n+/usr\n~/usr\n'), [[2, 1], [3, 1]]);
  });

  it('finds a pattern without wildcards that an earlier pattern matches, naming the first such line', () => {
    assert.deepEqual(shadowed('/opt\n/usr/*\n/usr/b*\n+/usr/bin/ls\n'), [[3, 2], [4, 2]]);
  });

  it('finds a pattern whose every match starts with the literal prefix of an earlier prefix*', () => {
    assert.deepEqual(shadowed('/etc/*\n+/etc/ssh/*.pub\n/etc/s?\n/*\n/x[ab]\n'), [[2, 1], [3, 1], [5, 4]]);
  });

  it('does not guess: overlapping patterns that each match paths the other does not are left alone', () => {
    assert.deepEqual(shadowed('/usr/*/lib\n/usr/lib/x\n/etc/a*\n/etc/*b\n/usr/?\n/usr/x*\n'), []);
  });

  it('treats package config files as the literals they are', () => {
    const conffiles = parseConffileList(Buffer.from('/etc/a*b\n/etc/passwd\n'), 'dpkg');
    const rules = [...conffiles, ...parseExcludeList(Buffer.from('/etc/a*b\n/etc/axb\n+/etc/passwd\n'), 'list')];
    // The glob /etc/a*b matches more than the file of that name, so it is not shadowed; +/etc/passwd can never re-include the conffile.
    assert.deepEqual(findShadowedRules(rules).map(({ rule, by }) => [rule.source, rule.line, by.source, by.line]), [['list', 2, 'list', 1], ['list', 3, 'dpkg', 2]]);
  });

  it('never calls an entry shadowed that the match list lets decide a path', () => {
    const list = '/etc/*\n+/etc/ssh/*.pub\n/etc/s?\n/*\n/x[ab]\n/opt\n/usr/*\n/usr/b*\n+/usr/bin/ls\n';
    const rules = parseExcludeList(Buffer.from(list), 'list');
    const shadowedLines = new Set(findShadowedRules(rules).map(({ rule }) => rule.line));
    const paths = ['/etc/ssh/a.pub', '/etc/sx', '/xa', '/opt', '/usr/bin', '/usr/bin/ls', '/usr/b', '/etc', '/a'];
    const list2 = createMatchList(rules);
    for (const path of paths) {
      const line = list2.decide(Buffer.from(path)).rule?.line;
      if (line !== undefined) assert.ok(!shadowedLines.has(line), `${path} is decided by line ${line}, reported as shadowed`);
    }
  });
});

describe('isShadowedBy', () => {
  it('reads an earlier prefix followed by several stars as matching everything with that prefix', () => {
    assert.equal(isShadowedBy(Buffer.from('/usr/lib/x?'), Buffer.from('/usr/**')), true);
    assert.equal(isShadowedBy(Buffer.from('/usr/lib/x?'), Buffer.from('/usr/*x')), false);
  });
});
