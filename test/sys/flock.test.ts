import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { AT_FDCWD, O_RDONLY } from '../../src/sys/constants.js';
import { tryLockExclusive, unlockFd, waitLockExclusive } from '../../src/sys/flock.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { repoRoot } from '../support/paths.js';

let dir = '';
let lockPath = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'vhashify-sys-flock-'));
  lockPath = join(dir, 'lock');
  writeFileSync(lockPath, '');
});
after(() => rmSync(dir, { recursive: true, force: true }));

// Each open is a description of its own, so two opens in one process compete like two processes.
const openLockFile = (): number => openAt(AT_FDCWD, Buffer.from(lockPath), O_RDONLY);

test('the lock is taken when free, refused while held, and free again after unlock', () => {
  const a = openLockFile();
  const b = openLockFile();
  try {
    assert.equal(tryLockExclusive(a), true);
    assert.equal(tryLockExclusive(a), true, 'taking a lock one already holds succeeds');
    assert.equal(tryLockExclusive(b), false);
    unlockFd(a);
    assert.equal(tryLockExclusive(b), true);
  } finally {
    closeFd(a);
    closeFd(b);
  }
});

test('closing the holding descriptor releases the lock', () => {
  const a = openLockFile();
  const b = openLockFile();
  try {
    assert.equal(tryLockExclusive(a), true);
    closeFd(a);
    assert.equal(tryLockExclusive(b), true);
  } finally {
    closeFd(b);
  }
});

test('waiting for the lock leaves the event loop running and ends when the holder unlocks', async () => {
  const a = openLockFile();
  const b = openLockFile();
  try {
    assert.equal(tryLockExclusive(a), true);
    let granted = false;
    const waiting = waitLockExclusive(b).then(() => (granted = true));
    // These callbacks could not run if the wait blocked the main thread.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 1));
    assert.equal(granted, false);
    unlockFd(a);
    await waiting;
    assert.equal(tryLockExclusive(a), false, 'b holds it now');
  } finally {
    closeFd(a);
    closeFd(b);
  }
});

test('a waiter on a bad descriptor is rejected with EBADF', async () => {
  const fd = openLockFile();
  closeFd(fd);
  await assert.rejects(waitLockExclusive(fd), { code: 'EBADF', syscall: 'flock' });
});

test('the lock dies with a holder killed by SIGKILL, and the waiting process gets it', async () => {
  const module = pathToFileURL(join(repoRoot, 'dist', 'src', 'sys')).href;
  const script = `
    const { openAt } = await import('${module}/open-at.js');
    const { tryLockExclusive } = await import('${module}/flock.js');
    const fd = openAt(-100, Buffer.from(process.argv[1]), 0);
    console.log(tryLockExclusive(fd) ? 'locked' : 'busy');
    setInterval(() => {}, 1000);
  `;
  const holder = spawn(process.execPath, ['--input-type=module', '-e', script, lockPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => holder.once('exit', resolve));
  try {
    const [line] = (await once(createInterface({ input: holder.stdout! }), 'line')) as [string];
    assert.equal(line, 'locked');
    const fd = openLockFile();
    try {
      assert.equal(tryLockExclusive(fd), false);
      const waiting = waitLockExclusive(fd);
      holder.kill('SIGKILL');
      await waiting;
      assert.equal(tryLockExclusive(fd), true);
    } finally {
      closeFd(fd);
    }
  } finally {
    holder.kill('SIGKILL');
    await exited;
  }
});
