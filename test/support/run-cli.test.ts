// Checks the product runner with a stand-in script: environment, arguments, exit status and stream capture.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli, runCliCombined, runCommand, runCommandCombined } from './run-cli.js';

// The stand-in reports what it was given, then writes to both streams alternately, unbuffered.
const standIn = `
import { writeSync, fstatSync, statSync } from 'node:fs';
const report = {
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  umask: process.umask().toString(8),
  lcAll: process.env.LC_ALL,
  argv0: process.env.VHASHIFY_ARGV0,
  testContext: process.env.NODE_TEST_CONTEXT ?? null,
  stdinIsDevNull: fstatSync(0).rdev === statSync('/dev/null').rdev && fstatSync(0).isCharacterDevice(),
};
writeSync(1, JSON.stringify(report) + '\\n');
for (let i = 0; i < 3; i++) { writeSync(1, 'out ' + i + '\\n'); writeSync(2, 'err ' + i + '\\n'); }
if (process.argv.includes('--abort')) process.abort();
process.exitCode = process.argv.includes('--fail') ? 3 : 0;
`;

describe('runCli', () => {
  let dir = '';
  let bin = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'run-cli-test-'));
    bin = join(dir, 'stand-in.mjs');
    writeFileSync(bin, standIn);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('passes --protect none first, then the arguments, with the vectors environment', async () => {
    const result = await runCli(['-vv', 'a b', '--fail'], { bin, cwd: dir });
    const report = JSON.parse(result.stdout.toString().split('\n')[0]!) as Record<string, unknown>;
    assert.deepEqual(report, {
      argv: ['--protect', 'none', '-vv', 'a b', '--fail'],
      cwd: dir,
      umask: '22',
      lcAll: 'C',
      argv0: 'vhashify',
      testContext: null,
      stdinIsDevNull: true,
    });
    assert.equal(result.exitCode, 3);
  });

  test('keeps stdout and stderr apart', async () => {
    const result = await runCli([], { bin });
    assert.match(result.stdout.toString(), /\nout 0\nout 1\nout 2\n$/);
    assert.equal(result.stderr.toString(), 'err 0\nerr 1\nerr 2\n');
    assert.equal(result.exitCode, 0);
  });

  test('runs in / unless told otherwise', async () => {
    const result = await runCli([], { bin });
    assert.equal((JSON.parse(result.stdout.toString().split('\n')[0]!) as { cwd: string }).cwd, '/');
  });

  test('reports death by SIGABRT as exit status 134, like a shell', async () => {
    const result = await runCli(['--abort'], { bin });
    assert.equal(result.exitCode, 134);
  });
});

describe('runCliCombined', () => {
  let dir = '';
  let bin = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'run-cli-test-'));
    bin = join(dir, 'stand-in.mjs');
    writeFileSync(bin, standIn);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('puts both streams on one pipe in the order they were written', async () => {
    const result = await runCliCombined([], { bin });
    const lines = result.combined.toString().split('\n').slice(1);
    assert.deepEqual(lines, ['out 0', 'err 0', 'out 1', 'err 1', 'out 2', 'err 2', '']);
    assert.equal(result.exitCode, 0);
  });
});

describe('runCommand', () => {
  const script = 'printf "%s|%s|%s|%s|%s" "$LC_ALL" "$EXTRA" "$PATH" "$VHASHIFY_CACHE_DIR" "$(umask)"; echo err >&2';

  test('runs any program in the fixed environment, extended or overridden by the caller', async () => {
    const result = await runCommand(['/bin/sh', '-c', script], { env: { EXTRA: 'x', PATH: '/bin', VHASHIFY_CACHE_DIR: '/c' } });
    assert.deepEqual([result.stdout.toString(), result.stderr.toString(), result.exitCode], ['C|x|/bin|/c|0022', 'err\n', 0]);
  });

  test('puts both streams on one pipe when combined', async () => {
    const result = await runCommandCombined(['/bin/sh', '-c', script], { env: { EXTRA: 'y' } });
    assert.match(result.combined.toString(), /^C\|y\|.*\|0022err\n$/);
  });
});
