import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ExcludeRule } from '../../src/exclude/exclude-rule.js';
import { parseConffileList, parseExcludeList } from '../../src/exclude/parse-exclude-list.js';
import { vectorsDir } from '../support/paths.js';

const summary = (rules: ExcludeRule[]) => rules.map((r) => [r.kind, r.pattern.toString('latin1'), r.line]);

describe('parseExcludeList', () => {
  it('reads + as include, ~ as skip, - and no prefix as exclude', () => {
    const rules = parseExcludeList(Buffer.from('+/etc/termcap\n~/etc/shadow\n-/root/*\n/var\n'), 'list');
    assert.deepEqual(summary(rules), [
      ['include', '/etc/termcap', 1],
      ['skip', '/etc/shadow', 2],
      ['exclude', '/root/*', 3],
      ['exclude', '/var', 4],
    ]);
  });

  it('removes only one prefix byte', () => {
    assert.deepEqual(summary(parseExcludeList(Buffer.from('++x\n--y\n~+z\n'), 'list')), [
      ['include', '+x', 1],
      ['exclude', '-y', 2],
      ['skip', '+z', 3],
    ]);
  });

  it('keeps a one-byte pattern once the prefix is gone: -* excludes everything', () => {
    assert.deepEqual(summary(parseExcludeList(Buffer.from('-*\n*\n'), 'list')), [['exclude', '*', 1]]);
  });

  it('records the source for explain and marks no entry as literal', () => {
    const [rule] = parseExcludeList(Buffer.from('\n/etc/*\n'), '/etc/vservers/.defaults/apps/vunify/exclude');
    assert.equal(rule?.source, '/etc/vservers/.defaults/apps/vunify/exclude');
    assert.equal(rule?.line, 2);
    assert.notEqual(rule?.literal, true);
  });

  it('parses the exclude1 file of vector scenario t02 as upstream does', () => {
    const trees = JSON.parse(readFileSync(join(vectorsDir, 'trees.json'), 'utf8')) as {
      scenarios: Array<{ id: string; tree: Array<{ path: string; content_b64?: string }> }>;
    };
    const scenario = trees.scenarios.find((s) => s.id.startsWith('t02'));
    const entry = scenario?.tree.find((e) => e.path === 'exclude1');
    assert.ok(entry?.content_b64);
    assert.deepEqual(summary(parseExcludeList(Buffer.from(entry.content_b64, 'base64'), 'exclude1')), [
      ['exclude', '/etc/*', 2],
      ['include', '/inc/keep', 3],
      ['exclude', '/inc/*', 4],
      ['exclude', '/order/x*', 5],
      ['include', '/order/xy', 6],
      ['skip', '/tilde', 7],
      ['exclude', '/minus', 8],
      ['include', '+/plus', 9],
      ['exclude', '/trailing', 10],
      ['exclude', '/tab\t', 11],
      ['exclude', '/crlf\r', 12],
      ['exclude', ' /lead', 15],
      ['exclude', '/dir', 16],
      ['exclude', '/dir2/', 17],
      ['exclude', 'dir3/*', 18],
      ['exclude', '*.tmp', 19],
      ['exclude', '/r??', 20],
      ['exclude', '/br[', 21],
      ['exclude', '/a', 22],
      ['exclude', '/q[!0-9]*', 23],
      ['exclude', ' #/not-a-comment', 25],
    ]);
  });
});

describe('parseConffileList', () => {
  it('turns every line into a literal exclude entry without prefix processing', () => {
    const rules = parseConffileList(Buffer.from('/etc/ssh/sshd_config\n+/usr/x\n~/y\n/etc/*\n'), 'vpkg get-conffiles');
    assert.deepEqual(summary(rules), [
      ['exclude', '/etc/ssh/sshd_config', 1],
      ['exclude', '+/usr/x', 2],
      ['exclude', '~/y', 3],
      ['exclude', '/etc/*', 4],
    ]);
    assert.ok(rules.every((r) => r.literal === true && r.source === 'vpkg get-conffiles'));
  });

  it('applies the shared line rules: comments, trimming, short lines, unterminated last line', () => {
    const rules = parseConffileList(Buffer.from('#/etc/a\n/etc/b  \nx\n/etc/c'), 'vpkg');
    assert.deepEqual(summary(rules), [['exclude', '/etc/b', 2]]);
  });
});
