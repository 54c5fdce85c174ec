// The two output channels, with upstream's ordering guarantee and without a syscall per line.
import { writeSync } from 'node:fs';

/** Where a run writes: stdout for progress lines, stderr for errors. */
export interface Output {
  out(text: Buffer | string): void;
  err(text: Buffer | string): void;
  /** Writes what stdout still holds; called before stderr and at the end. */
  flush(): void;
}

const FLUSH_AT = 64 * 1024;

function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(fd, data, offset, data.length - offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        // A non-blocking pipe that is full: wait a little instead of spinning.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
        continue;
      }
      if (code === 'EPIPE') return; // the reader went away, like `vhashify -v | head`
      throw error;
    }
  }
}

/**
 * Creates the output channels. Upstream writes both streams unbuffered, so their interleaving is
 * exactly chronological; we keep that observable order by flushing stdout before every stderr write,
 * while batching stdout writes in between (a million skip lines must not cost a million syscalls).
 * On a terminal every line is written at once, so a human sees progress as it happens.
 */
export function createOutput(stdoutFd = 1, stderrFd = 2, lineBuffered = false): Output {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = (): void => {
    if (pendingBytes === 0) return;
    const data = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    writeAll(stdoutFd, data);
  };
  return {
    out(text) {
      const data = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
      pending.push(data);
      pendingBytes += data.length;
      if (lineBuffered || pendingBytes >= FLUSH_AT) flush();
    },
    err(text) {
      flush();
      writeAll(stderrFd, typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
    },
    flush,
  };
}
