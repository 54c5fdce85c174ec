// bin/vhashify as installed: run through its `#!` line, not through `node bin/vhashify`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

describe('command-line bytes', () => {
  it('takes a guest directory whose name is not valid UTF-8, byte for byte', () => {
    const base = mkdtempSync(join(tmpdir(), 'vhashify-argv-'));
    try {
      // Node cannot pass such an argument itself: the shell builds it from octal escapes.
      const guest = Buffer.concat([Buffer.from(`${base}/guest-`), Buffer.from([0xff, 0xfe]), Buffer.from('-x')]);
      mkdirSync(guest);
      for (const name of ['a', 'b']) writeFileSync(Buffer.concat([guest, Buffer.from(`/${name}`)]), 'twins of at least sixteen bytes\n');
      mkdirSync(join(base, 'hash', 'root'), { recursive: true });
      writeFileSync(join(base, 'exclude'), '');
      const script = `exec "$0" --protect none --manually --destination "$1" -vv "$(printf '%s\\377\\376-x' "$2")" "$3"`;
      const run = spawnSync('/bin/sh', ['-c', script, bin, join(base, 'hash'), `${base}/guest-`, join(base, 'exclude')], {
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', VHASHIFY_CACHE_DIR: join(base, 'cache'), VHASHIFY_HINTS: '0' },
      });
      assert.equal(run.status, 0, run.stderr.toString());
      const header = Buffer.concat([Buffer.from('Initializing exclude-list for '), guest, Buffer.from('\nStarting to traverse directories...\n')]);
      assert.deepEqual(run.stdout.subarray(0, header.length), header, 'the path is printed with its own bytes');
      // The two lines come in raw readdir order, whichever that is.
      assert.deepEqual(run.stdout.subarray(header.length).toString().split('\n').sort(), ['', "unifying   '/a'", "unifying   '/b'"]);
      const [a, b] = ['a', 'b'].map((name) => lstatSync(Buffer.concat([guest, Buffer.from(`/${name}`)])));
      assert.equal(a!.ino, b!.ino, 'the twins are shared');
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
