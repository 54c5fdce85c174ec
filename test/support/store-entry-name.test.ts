// Checks the test-side entry names against every name upstream printed at -vvvv in vserver.json and against hashpath.json.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { vectorsDir } from './paths.js';
import { computeSha256EntryName } from './store-entry-name.js';
import { readVserverVectors } from './vserver-vectors.js';

describe('computeSha256EntryName', () => {
  test('gives every sha256 name of a recorded -vvvv run of vserver.json (files as materialised, counter 0)', () => {
    let compared = 0;
    for (const scenario of readVserverVectors().scenarios) {
      for (const step of scenario.steps) {
        // --ignore-mtime hashes a zero mtime; vs03's g1 store is preset to sha1 (40 hex digits, not 64).
        if (step.argv.includes('--ignore-mtime')) continue;
        const stdout = step.output['4']!.stdout;
        const vdir = /^Initializing exclude-list for \$\{ROOT\}\/(.*) \(/m.exec(stdout)?.[1];
        for (const [, path, name] of stdout.matchAll(/^unifying {3}'(.*)' \(to '.*\/([0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{60}-00000000)'\)$/gm)) {
          const entry = scenario.tree.find((candidate) => candidate.path === `${vdir!}${path!}`)!;
          assert.equal(computeSha256EntryName(entry), name, `${scenario.id} ${step.name} ${path!}`);
          compared++;
        }
      }
    }
    assert.ok(compared > 100, `only ${compared} names compared`);
  });

  test('gives the hashpath.json names of sha256 cases without --ignore-mtime, with the counter as hex', () => {
    const { cases } = JSON.parse(readFileSync(join(vectorsDir, 'hashpath.json'), 'utf8')) as {
      cases: { id: string; content_b64?: string; mode: string; uid: number; gid: number; mtime: number; method: string; ignore_mtime: boolean; expected: string }[];
    };
    const chosen = cases.filter((c) => c.content_b64 !== undefined && !c.ignore_mtime && c.method.toLowerCase().replaceAll('-', '') === 'sha256');
    assert.ok(chosen.length > 0);
    for (const c of chosen) assert.equal(computeSha256EntryName({ path: c.id, type: 'file', ...c }), c.expected, c.id);
    assert.equal(computeSha256EntryName({ path: 'x', type: 'file', content_b64: '', mode: '0100644', uid: 0, gid: 0, mtime: 0 }, 26).slice(-9), '-0000001a');
  });
});
