// One run at a time per hash dir: an advisory flock(2) on the hash dir, held by a helper process.
import { spawn, type ChildProcess } from 'node:child_process';

/** A held lock; release() lets the next run in. */
export interface StoreLock {
  release(): void;
}

/** Why no lock was taken. */
export type LockFailure = { kind: 'busy' } | { kind: 'error'; message: string };

/**
 * Node has no flock(2). `flock(1)` opens the hash dir, locks it and then runs `cat`, which holds the
 * lock for as long as our end of its stdin pipe is open: release() closes it, and so does the kernel
 * when this process dies in any way (kill -9 included), so a crashed run never leaves the store
 * locked. Nothing is created in the hash dir (its layout stays upstream's).
 */
export function acquireStoreLock(hashDir: string, wait: boolean, onWaiting: () => void): Promise<StoreLock | LockFailure> {
  return tryLock(hashDir, false).then((first) => {
    if ('release' in first || first.kind === 'error' || !wait) return first;
    onWaiting();
    return tryLock(hashDir, true);
  });
}

function tryLock(hashDir: string, block: boolean): Promise<StoreLock | LockFailure> {
  const args = ['--exclusive', ...(block ? [] : ['--nonblock', '--conflict-exit-code', '75']), '--', hashDir, 'sh', '-c', 'echo locked; exec cat >/dev/null'];
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn('flock', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (error) {
      resolve({ kind: 'error', message: `flock: ${(error as Error).message}` });
      return;
    }
    let settled = false;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.once('data', () => {
      settled = true;
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve({
        release() {
          child.stdin?.end();
          child.unref();
        },
      });
    });
    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      resolve({ kind: 'error', message: `flock: ${error.message}` });
    });
    child.on('exit', (code) => {
      if (settled) return;
      settled = true;
      resolve(code === 75 ? { kind: 'busy' } : { kind: 'error', message: stderr.trim() || `flock exited with status ${code}` });
    });
  });
}
