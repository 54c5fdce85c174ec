// One run at a time per hash dir: an advisory flock(2) on the hash dir's own open file description.
import { AT_FDCWD, O_DIRECTORY, O_RDONLY } from '../sys/constants.js';
import { tryLockExclusive, waitLockExclusive } from '../sys/flock.js';
import { closeFd, openAt } from '../sys/open-at.js';

/** A held lock; release() lets the next run in. */
export interface StoreLock {
  release(): void;
}

/** Why no lock was taken: another run holds it, or the hash dir cannot be opened (reported later). */
export type LockFailure = { kind: 'busy' } | { kind: 'error'; message: string };

/**
 * Locks the hash dir's descriptor with flock(2): the lock belongs to our open file description and
 * lasts until release() closes it or the kernel does when this process dies in any way (kill -9
 * included), so a crashed run never leaves the store locked. Nothing is created in (or instead of)
 * the hash dir: its layout stays upstream's. Waiting happens off the event loop (sys/flock.ts).
 */
export async function acquireStoreLock(hashDir: string | Buffer, wait: boolean, onWaiting: () => void): Promise<StoreLock | LockFailure> {
  let fd: number;
  try {
    fd = openAt(AT_FDCWD, Buffer.from(hashDir), O_RDONLY | O_DIRECTORY);
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
  try {
    if (!tryLockExclusive(fd)) {
      if (!wait) {
        closeFd(fd);
        return { kind: 'busy' };
      }
      onWaiting();
      await waitLockExclusive(fd);
    }
  } catch (error) {
    closeFd(fd);
    return { kind: 'error', message: (error as Error).message };
  }
  return { release: () => closeFd(fd) };
}
