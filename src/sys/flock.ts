// Advisory whole-file locks (flock(2)) on an open file description: released by the kernel when the
// last descriptor of that description closes, so a run killed with SIGKILL never leaves a lock behind.
import { LOCK_EX, LOCK_NB, LOCK_UN } from './constants.js';
import { loadLibc, throwErrno } from './libc.js';
import { SysError } from './sys-error.js';

const EINTR = 4;
const EWOULDBLOCK = 11;

/** Takes the exclusive lock if it is free: true when taken, false when another holder has it. */
export function tryLockExclusive(fd: number): boolean {
  const c = loadLibc();
  for (;;) {
    if (c.flock(fd, LOCK_EX | LOCK_NB) === 0) return true;
    const errno = c.errno();
    if (errno === EWOULDBLOCK) return false;
    if (errno !== EINTR) throw new SysError('flock', errno);
  }
}

/**
 * Waits for the exclusive lock without blocking the event loop: the blocking flock() runs on one of
 * libuv's pool threads (koffi's async call), which stays occupied until the lock is granted. A pending
 * wait keeps the process alive and cannot be cancelled; exiting the process ends it.
 */
export function waitLockExclusive(fd: number): Promise<void> {
  const c = loadLibc();
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      c.flock.async(fd, LOCK_EX, (error: unknown, result: number) => {
        if (error !== null && error !== undefined) {
          reject(error);
          return;
        }
        if (result === 0) {
          resolve();
          return;
        }
        // koffi sets errno to the pool thread's value while this callback runs.
        const errno = c.errno();
        if (errno === EINTR) attempt();
        else reject(new SysError('flock', errno));
      });
    };
    attempt();
  });
}

/** Releases the lock (closing the last descriptor of the description does the same). */
export function unlockFd(fd: number): void {
  const c = loadLibc();
  if (c.flock(fd, LOCK_UN) !== 0) throwErrno(c, 'flock');
}
