import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readExcludeFile } from '../../src/exclude/read-exclude-file.js';

describe('readExcludeFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vhashify-exclude-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('parses an existing file and names it as the source of each rule', () => {
    const file = join(dir, 'exclude');
    writeFileSync(file, '/etc/*\n+/etc/termcap\n');
    const result = readExcludeFile(file);
    assert.equal(result.opened, true);
    assert.equal(result.error, undefined);
    assert.deepEqual(result.rules.map((r) => [r.kind, r.pattern.toString(), r.source, r.line]), [
      ['exclude', '/etc/*', file, 1],
      ['include', '/etc/termcap', file, 2],
    ]);
  });

  it('returns an empty list with the error for a missing file (Q08)', () => {
    const result = readExcludeFile(join(dir, 'no-such-file'));
    assert.deepEqual(result.rules, []);
    assert.equal(result.opened, false);
    assert.equal(result.error?.code, 'ENOENT');
  });

  it('treats the empty path as no list at all, without an error', () => {
    for (const path of ['', Buffer.alloc(0)]) {
      assert.deepEqual(readExcludeFile(path), { rules: [], opened: false });
    }
  });

  it('accepts a path given as bytes that are not UTF-8', () => {
    const name = Buffer.concat([Buffer.from(`${dir}/ex`), Buffer.from([0xff])]);
    writeFileSync(name, '/var\n');
    const result = readExcludeFile(name);
    assert.equal(result.opened, true);
    assert.deepEqual(result.rules.map((r) => r.pattern.toString()), ['/var']);
  });

  it('reports a directory as opened but unreadable, with no rules', () => {
    const result = readExcludeFile(dir);
    assert.equal(result.opened, true);
    assert.equal(result.error?.code, 'EISDIR');
    assert.deepEqual(result.rules, []);
  });
});
