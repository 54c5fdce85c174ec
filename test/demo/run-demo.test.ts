// The demo as `npm run demo` runs it: a child process that must save real space and clean up.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../support/paths.js';

const demoScript = join(repoRoot, 'dist', 'src', 'demo', 'run-demo.js');
const scratch = mkdtempSync(join(tmpdir(), 'vhashify-demo-test-'));

after(() => rmSync(scratch, { recursive: true, force: true }));

// Runs the demo with its temporary directory below a fresh TMPDIR that the test can inspect.
function runDemoProcess(args: readonly string[]): { status: number | null; stdout: string; stderr: string; tmp: string } {
  const tmp = mkdtempSync(join(scratch, 'tmp-'));
  const result = spawnSync(process.execPath, [demoScript, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, tmp };
}

describe('run-demo', () => {
  it('hashifies both guests, reports a measured saving above zero and leaves no temporary directory', () => {
    const run = runDemoProcess([]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    const saved = /^ {2}saved: (-?\d+) bytes/m.exec(run.stdout);
    assert.ok(saved, run.stdout);
    assert.ok(BigInt(saved[1]!) > 0n, `saved ${saved[1]} bytes`);
    assert.equal((run.stdout.match(/^ {2}exit status 0$/gm) ?? []).length, 2);
    assert.match(run.stdout, /^ {2}shared by both guests: [1-9]\d* files$/m);
    assert.deepEqual(readdirSync(run.tmp), []);
  });

  it("shows the tool's own -v lines for both guests, excluded configuration among them", () => {
    const run = runDemoProcess([]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal((run.stdout.match(/^ {4}Starting to traverse directories\.\.\.$/gm) ?? []).length, 2);
    assert.match(run.stdout, /^ {6}skipping '\/etc\/demo'$/m);
    assert.match(run.stdout, /^ {6}skipping '\/usr\/share\/doc\/demo-shell\/VERSION'$/m);
    assert.doesNotMatch(run.stdout, /skipping '\/usr\/bin\/demo-editor'/);
  });

  it('keeps the directory with --keep and says where it is', () => {
    const run = runDemoProcess(['--keep']);
    assert.equal(run.status, 0, run.stderr);
    const kept = /^Kept the demo directory: (.+)$/m.exec(run.stdout);
    assert.ok(kept, run.stdout);
    assert.ok(kept[1]!.startsWith(run.tmp));
    assert.ok(existsSync(join(kept[1]!, 'store')));
    assert.ok(existsSync(join(kept[1]!, 'hash', 'method')));
  });

  it('refuses unknown arguments with status 2 and creates nothing', () => {
    const run = runDemoProcess(['--frobnicate']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^usage: run-demo \[--keep\]/);
    assert.deepEqual(readdirSync(run.tmp), []);
  });
});
