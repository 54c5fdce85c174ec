import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { acquireStoreLock, type LockFailure, type StoreLock } from '../../src/store/store-lock.js';

const dir = mkdtempSync('/tmp/vhashify-lock-');
after(() => rmSync(dir, { recursive: true, force: true }));

function isLock(x: StoreLock | LockFailure): x is StoreLock {
  return 'release' in x;
}

test('a second run is refused while the first holds the hash dir, and gets in once it is released', async () => {
  const first = await acquireStoreLock(dir, false, () => assert.fail('the first run must not wait'));
  assert.ok(isLock(first));
  assert.deepEqual(await acquireStoreLock(dir, false, () => undefined), { kind: 'busy' });
  let waited = false;
  // The first lets go only once the second has said it waits: no clock decides the outcome.
  const second = acquireStoreLock(dir, true, () => {
    waited = true;
    first.release();
  });
  const got = await second;
  assert.ok(isLock(got), 'the waiting run gets the lock after the release');
  assert.equal(waited, true, 'and it said it was waiting');
  got.release();
  assert.deepEqual(readdirSync(dir), [], 'locking created nothing in the hash dir');
});

test('a hash dir that does not exist is not created by locking', async () => {
  const missing = join(dir, 'no-such-hash');
  const got = await acquireStoreLock(missing, true, () => assert.fail('nothing to wait for'));
  assert.equal(isLock(got), false);
  assert.equal((got as LockFailure).kind, 'error');
  assert.equal(existsSync(missing), false);
});

test('the lock dies with its process: a killed holder never leaves the store locked', async () => {
  const { spawn } = await import('node:child_process');
  // --close: the lock is held by flock itself, not by the child, which starts once the lock is taken.
  const holder = spawn('flock', ['--exclusive', '--close', dir, 'sh', '-c', 'echo locked; exec sleep 30'], {
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
  });
  await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
  assert.deepEqual(await acquireStoreLock(dir, false, () => undefined), { kind: 'busy' });
  const exited = new Promise((r) => holder.once('exit', r));
  holder.kill('SIGKILL');
  await exited;
  try {
    process.kill(-holder.pid!, 'SIGKILL'); // the orphaned sleep
  } catch {
    // already gone
  }
  const got = await acquireStoreLock(dir, false, () => undefined);
  assert.ok(isLock(got));
  got.release();
});
