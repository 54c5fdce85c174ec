// A copy a hashing thread prepared for one file (ahead/prepare-ahead.ts), owned by that file's
// commit until the commit uses it for a new entry or removes it.
import type { Examined } from '../ahead/examine-file.js';
import { unlinkAt } from '../sys/link-ops.js';
import type { CopyTicket } from '../unify/durable-copies.js';

/** Whatever the decision, a prepared copy is consumed exactly once: taken, or discarded. */
export class PreparedCopy {
  private constructor(private name: Buffer | undefined, private readonly rootFd: number, readonly ticket: CopyTicket | undefined) {}

  /** The copy an examination carries, if any (a name below the root `rootFd`), with its durability ticket. */
  static of(outcome: Examined & { ticket?: CopyTicket }, rootFd: number): PreparedCopy {
    return new PreparedCopy(outcome.ok ? outcome.ahead?.copy : undefined, rootFd, outcome.ok ? outcome.ticket : undefined);
  }

  /** True while there is a copy nobody took yet. */
  get isPresent(): boolean {
    return this.name !== undefined;
  }

  /** Hands the copy over (the unify step renames it into its slot or removes it); later calls get nothing. */
  take(): Buffer | undefined {
    const { name } = this;
    this.name = undefined;
    return name;
  }

  /** Removes a copy nobody took: the slot was taken meanwhile, the file went stale, something failed. */
  discard(): void {
    const name = this.take();
    if (name === undefined) return;
    try {
      unlinkAt(this.rootFd, name);
    } catch {
      // already gone; the next run's sweep of the temporary directory takes anything left
    }
  }
}
