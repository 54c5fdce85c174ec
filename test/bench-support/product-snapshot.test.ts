import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { computeDistDigest, createProductSnapshot } from '../bench/product-snapshot.js';
import { runCommand } from '../bench/run-command.js';
import { repoRoot } from '../support/paths.js';

const base = mkdtempSync(join(tmpdir(), 'bench-product-'));
after(() => rmSync(base, { recursive: true, force: true }));

describe('createProductSnapshot', () => {
  const bin = createProductSnapshot(repoRoot, join(base, 'product'));

  it('gives a copy of the command that runs on its own', () => {
    assert.equal(bin, join(base, 'product', 'bin', 'vhashify'));
    const outcome = runCommand(process.execPath, [bin, '--version']);
    assert.equal(outcome.status, 0);
    assert.match(outcome.stdout, /^vhashify \d+\.\d+\.\d+ /);
  });

  it('tells builds apart by a digest of the compiled modules', () => {
    const dist = join(base, 'product', 'dist', 'src');
    const before = computeDistDigest(dist);
    assert.match(before, /^[0-9a-f]{16}$/);
    appendFileSync(join(dist, 'index.js'), '\n// changed\n');
    assert.notEqual(computeDistDigest(dist), before);
  });
});
