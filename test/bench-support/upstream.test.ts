import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createBenchLayout } from '../bench/bench-dir.js';
import { chooseUpstream, findDefaultUpstreamPath } from '../bench/upstream.js';

const base = mkdtempSync(join(tmpdir(), 'bench-upstream-'));
after(() => rmSync(base, { recursive: true, force: true }));

const writeProgram = (path: string, mode: number): string => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, mode);
  return path;
};

describe('chooseUpstream', () => {
  it('leaves upstream out with a note naming the build script when nothing is built', () => {
    const layout = createBenchLayout(join(base, 'empty'));
    const choice = chooseUpstream(undefined, layout);
    assert.ok('note' in choice);
    assert.match(choice.note, /^no upstream rows: .*empty\/upstream\/vhashify does not exist; build it with test\/bench\/build-upstream\.sh/);
  });

  it('takes the build in the bench directory by default, with a digest of its content', () => {
    const layout = createBenchLayout(join(base, 'built'));
    const path = writeProgram(findDefaultUpstreamPath(layout), 0o755);
    assert.equal(path, join(base, 'built', 'upstream', 'vhashify'));
    const choice = chooseUpstream(undefined, layout);
    assert.ok('path' in choice);
    assert.equal(choice.path, path);
    assert.match(choice.digest, /^[0-9a-f]{16}$/);
  });

  it('leaves even a built upstream out with --no-upstream', () => {
    const layout = createBenchLayout(join(base, 'built'));
    assert.deepEqual(chooseUpstream(false, layout), { note: 'no upstream rows: --no-upstream was given.' });
  });

  it('refuses an --upstream path that is missing or not executable', () => {
    const layout = createBenchLayout(join(base, 'empty'));
    const plain = writeProgram(join(base, 'plain', 'vhashify'), 0o644);
    for (const path of [join(base, 'nothing-here'), plain, base]) {
      const choice = chooseUpstream(path, layout);
      assert.ok('error' in choice, path);
      assert.equal(choice.error.startsWith(`--upstream: ${path} is not an executable file`), true);
    }
  });
});
