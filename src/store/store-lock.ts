// One run at a time per hash dir: an advisory flock(2) on the hash dir's own open file description.
import { spawn } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';

/** A held lock; release() lets the next run in. */
export interface StoreLock {
  release(): void;
}

/** Why no lock was taken: another run holds it, or the hash dir cannot be opened (reported later). */
export type LockFailure = { kind: 'busy' } | { kind: 'error'; message: string };

const BUSY = 75;

/**
 * Node has no flock(2), so `flock(1)` does the call on a descriptor we pass it: the lock belongs to
 * our open file description and outlives the helper, until release() closes the descriptor or the
 * kernel does when this process dies in any way (kill -9 included) — a crashed run never leaves the
 * store locked. Nothing is created in (or instead of) the hash dir: its layout stays upstream's.
 */
export async function acquireStoreLock(hashDir: string, wait: boolean, onWaiting: () => void): Promise<StoreLock | LockFailure> {
  let fd: number;
  try {
    fd = openSync(hashDir, constants.O_RDONLY | constants.O_DIRECTORY);
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
  let code = await runFlock(fd, false);
  if (code === BUSY && wait) {
    onWaiting();
    code = await runFlock(fd, true);
  }
  if (code === 0) return { release: () => closeSync(fd) };
  closeSync(fd);
  return code === BUSY ? { kind: 'busy' } : { kind: 'error', message: `flock exited with status ${code}` };
}

function runFlock(fd: number, block: boolean): Promise<number> {
  const args = ['--exclusive', ...(block ? [] : ['--nonblock', '--conflict-exit-code', String(BUSY)]), '3'];
  return new Promise((resolve) => {
    const child = spawn('flock', args, { stdio: ['ignore', 'ignore', 'ignore', fd] });
    child.on('error', () => resolve(-1));
    child.on('exit', (code) => resolve(code ?? -1));
  });
}
