// bin/vhashify as installed: run through its `#!` line, not through `node bin/vhashify`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../support/paths.js';

const bin = join(repoRoot, 'bin', 'vhashify');

describe('the launcher', () => {
  it('runs without node on the command line and leaves stderr clean even when NODE_EXTRA_CA_CERTS is broken', () => {
    // Node would print "Warning: Ignoring extra certs from …" before any of our code runs; upstream's
    // stderr bytes must not carry that, and the bundle costs start-up time for TLS we never use.
    const run = spawnSync(bin, ['--version'], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NODE_EXTRA_CA_CERTS: '/nonexistent/bundle.pem' },
    });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /^vhashify \S+ -- hashifies vservers and\/or directories\n/);
  });
});
