// The files in compat/ as shipped: which there are, and the conventions every shell script here
// keeps (a header saying what it is for, strict mode, shellcheck-clean, no hard-coded install
// paths). What each script does is tested in the other files of this folder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../support/paths.js';
import { standInPath, stubsDir } from './util-vserver-sandbox.js';

const compat = join(repoRoot, 'compat');
const compatScripts = ['vhashify-initpost', 'vhashify-install', 'vserver'].map((name) => join(compat, name));
const testScripts = [standInPath, ...readdirSync(stubsDir).sort().map((name) => join(stubsDir, name))];

describe('compat/', () => {
  it('holds the installer, the vserver front end, the post-build hook and the default exclude list, nothing else', () => {
    // The daily job's units and cron line are written by the installer, with paths found at install time.
    assert.deepEqual(readdirSync(compat).sort(), ['vhashify-initpost', 'vhashify-install', 'vserver', 'vunify-exclude']);
  });

  for (const script of [...compatScripts, ...testScripts]) {
    const name = script.slice(repoRoot.length + 1);
    const text = readFileSync(script, 'utf8');
    const lines = text.split('\n');

    it(`${name} is an executable script with a header comment saying what it is for`, () => {
      assert.match(lines[0]!, /^#!\/bin\/(bash|sh)$/);
      assert.match(lines[1]!, /^# \S.{20,}/);
      assert.equal(statSync(script).mode & 0o111, 0o111);
    });

    if (lines[0] === '#!/bin/bash') {
      it(`${name} runs in strict mode, or says why not`, () => {
        if (name === 'compat/vhashify-initpost') {
          // A hook that fails deletes the newly built guest: it checks each step itself instead.
          assert.ok(lines.includes('set -o pipefail'));
          assert.match(text, /^# No `set -e` or `set -u` here, on purpose: an unexpected failure must not delete the new guest\.$/m);
        } else {
          assert.ok(lines.includes('set -euo pipefail'), 'set -euo pipefail');
        }
      });
    }

    it(`${name} names no install location of node or of this package`, () => {
      assert.doesNotMatch(text, /node_modules|\/usr\/local\/lib|\/usr\/bin\/node/);
    });
  }

  it('has shell scripts that shellcheck finds nothing in (when shellcheck is installed)', (t) => {
    if (spawnSync('shellcheck', ['--version']).error !== undefined) return t.skip('shellcheck is not installed');
    const result = spawnSync('shellcheck', [...compatScripts, ...testScripts], { encoding: 'utf8' });
    assert.equal(result.stdout + result.stderr, '');
    assert.equal(result.status, 0);
  });
});
