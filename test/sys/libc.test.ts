import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { describeSysLayerProblem, loadLibc } from '../../src/sys/libc.js';
import { repoRoot } from '../support/paths.js';

const libcModule = pathToFileURL(join(repoRoot, 'dist', 'src', 'sys', 'libc.js')).href;
const fileStatModule = pathToFileURL(join(repoRoot, 'dist', 'src', 'sys', 'file-stat.js')).href;

test('the layer loads on this x86_64 glibc host and reports no problem', () => {
  assert.equal(describeSysLayerProblem(), undefined);
  assert.equal(loadLibc(), loadLibc(), 'loaded once per thread');
});

test('a worker thread loads its own copy and gets the same answers as the main thread', async () => {
  const source = `
    import { parentPort } from 'node:worker_threads';
    const { lstatAt } = await import(${JSON.stringify(fileStatModule)});
    const st = lstatAt(-100, Buffer.from('/etc'));
    parentPort.postMessage({ ino: st.ino, isDirectory: st.isDirectory() });
  `;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`));
  const reply = await new Promise<{ ino: bigint; isDirectory: boolean }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.deepEqual(reply, { ino: statSync('/etc', { bigint: true }).ino, isDirectory: true });
});

test('another architecture is refused with a message that names it, and only when the layer is used', () => {
  const script = `
    Object.defineProperty(process, 'arch', { value: 'arm64' });
    const { describeSysLayerProblem, loadLibc } = await import(${JSON.stringify(libcModule)});
    let thrown;
    try { loadLibc(); } catch (error) { thrown = error.name; }
    console.log(JSON.stringify({ problem: describeSysLayerProblem(), thrown }));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), {
    problem: 'vhashify needs x86_64 Linux with glibc; this is linux-arm64',
    thrown: 'SysLayerUnavailableError',
  });
});
