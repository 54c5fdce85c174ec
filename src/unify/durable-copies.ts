// New entries reach the disk before any guest path points at them (DESIGN: nothing is lost, a
// power cut included), paid with one syncfs per batch of copies instead of an fsync per copy.
import { syncFsAsync } from '../sys/sync.js';

/** A copy's place in the order of copies written (see `DurableCopies.noteWritten`). */
export type CopyTicket = number;

/** Copies written since the last sync after which a sync is started ahead, overlapped with hashing. */
const SYNC_AHEAD_AT = 128;

/**
 * Tracks the copies written into one storage root's file system. A copy's data is known durable
 * once a syncfs that *started* after the copy was written has completed. The commit awaits that
 * before it renames a guest name over the copy's link; meanwhile hashing threads go on writing.
 */
export class DurableCopies {
  private written = 0;
  /** Copies covered by the last completed sync. */
  private durableUpTo = 0;
  /** The sync in flight and how many copies it covers. */
  private inFlight: { covers: number; done: Promise<void> } | undefined;
  /** Syncs made and the time spent waiting for them (for the report and the benchmark). */
  syncs = 0;
  waitedNs = 0n;

  constructor(private readonly rootFd: number, private readonly sync: (fd: number) => Promise<void> = syncFsAsync) {}

  /** Call when a copy's data has been written (the writer returned); returns its ticket. */
  noteWritten(): CopyTicket {
    this.written += 1;
    if (this.inFlight === undefined && this.written - this.durableUpTo >= SYNC_AHEAD_AT) void this.start().catch(() => undefined);
    return this.written;
  }

  /** Resolves once the copy with `ticket` is on disk; rejects with the sync's error. */
  async ensureDurable(ticket: CopyTicket): Promise<void> {
    while (this.durableUpTo < ticket) {
      const started = process.hrtime.bigint();
      const flight = this.inFlight !== undefined && this.inFlight.covers >= ticket ? this.inFlight.done : this.start();
      try {
        await flight;
      } finally {
        this.waitedNs += process.hrtime.bigint() - started;
      }
    }
  }

  private start(): Promise<void> {
    // One sync at a time: a newer copy waits for the one in flight, then starts its own.
    const previous = this.inFlight?.done.catch(() => undefined) ?? Promise.resolve();
    const covers = this.written;
    const done = previous.then(() => this.sync(this.rootFd)).then(() => {
      this.syncs += 1;
      if (covers > this.durableUpTo) this.durableUpTo = covers;
      if (this.inFlight?.covers === covers) this.inFlight = undefined;
    });
    this.inFlight = { covers, done };
    return done;
  }
}
