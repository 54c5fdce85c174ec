import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { readScriptArgv } from '../../src/sys/process-argv.js';
import { repoRoot } from '../support/paths.js';

let dir = '';
let script = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'vhashify-sys-argv-'));
  script = join(dir, 'print-argv.mjs');
  const module = pathToFileURL(join(repoRoot, 'dist', 'src', 'sys', 'process-argv.js')).href;
  writeFileSync(script, `
    const { readScriptArgv } = await import(${JSON.stringify(module)});
    if (process.env.SET_TITLE) process.title = 'x';
    try {
      console.log(JSON.stringify(readScriptArgv().map((arg) => arg.toString('hex'))));
    } catch (error) {
      console.log(JSON.stringify({ error: error.message }));
    }
  `);
});
after(() => rmSync(dir, { recursive: true, force: true }));

// Node cannot spawn with byte arguments; the shell's printf makes them.
function runScript(nodeOptions: string, args: string, env: NodeJS.ProcessEnv = {}): unknown {
  const command = `exec "$NODE" ${nodeOptions} "$SCRIPT" ${args}`;
  const result = spawnSync('/bin/sh', ['-c', command], {
    env: { ...process.env, ...env, NODE: process.execPath, SCRIPT: script },
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

test('arguments that are not UTF-8 arrive byte for byte, empty ones included', () => {
  const args = runScript('', `"$(printf 'a\\377b')" "" plain "$(printf '\\303\\251')" "$(printf '\\300\\257x')"`);
  assert.deepEqual(args, ['61ff62', '', Buffer.from('plain').toString('hex'), 'c3a9', 'c0af78']);
});

test("node's own options before the script are not among the arguments", () => {
  const args = runScript('--no-warnings --stack-size=2000', `"$(printf '\\376')" -v`);
  assert.deepEqual(args, ['fe', Buffer.from('-v').toString('hex')]);
});

test('a script without arguments gets none', () => {
  assert.deepEqual(runScript('', ''), []);
});

test('a command line rewritten by setting process.title is refused, not misread', () => {
  const result = runScript('', 'one two', { SET_TITLE: '1' }) as { error?: string };
  assert.match(result.error ?? '', /\/proc\/self\/cmdline/);
});

test('in the test runner itself the words match process.argv', () => {
  assert.deepEqual(readScriptArgv().map(String), process.argv.slice(2));
});
