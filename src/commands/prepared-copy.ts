// A copy a hashing thread prepared for one file (unify/prepare-ahead.ts), owned by that file's
// commit until the commit uses it for a new entry or removes it.
import { unlinkSync } from 'node:fs';
import type { HashOutcome } from '../hash/hash-file.js';

/** Whatever the decision, a prepared copy is consumed exactly once: taken, or discarded. */
export class PreparedCopy {
  private constructor(private path: Buffer | undefined) {}

  /** The copy a hashing outcome carries, if any. */
  static of(outcome: HashOutcome): PreparedCopy {
    return new PreparedCopy(outcome.ok ? outcome.ahead?.copy : undefined);
  }

  /** Hands the copy over (the unify step renames it into its slot or removes it); later calls get nothing. */
  take(): Buffer | undefined {
    const { path } = this;
    this.path = undefined;
    return path;
  }

  /** Removes a copy nobody took: the slot was taken meanwhile, the file went stale, something failed. */
  discard(): void {
    const path = this.take();
    if (path === undefined) return;
    try {
      unlinkSync(path);
    } catch {
      // already gone; the next run's sweep of the temporary directory takes anything left
    }
  }
}
