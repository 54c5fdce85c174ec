// Closing descriptors of replaced inodes off the main thread: the last close frees the inode, and
// on file systems with online discard that is slow; it need not stop the walk.
import { close, closeSync } from 'node:fs';

/** Closes descriptors on libuv's thread pool, at most `limit` at a time in flight. */
export class DeferredCloser {
  private inflight = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  /** Closes `fd` in the background (or now, when too many closes are in flight already). */
  closeLater(fd: number): void {
    if (this.inflight >= this.limit) {
      closeSync(fd);
      return;
    }
    this.inflight += 1;
    close(fd, () => {
      this.inflight -= 1;
      if (this.inflight === 0) for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Resolves once every background close has finished. */
  drain(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
