// One run per store at a time: the lock a run that changes the store takes, with its messages.
import type { Output } from '../report/output.js';
import { acquireStoreLock, type StoreLock } from '../store/store-lock.js';

/** Holding the lock (or none: dry run, or a hash dir the next step will report), or exit 75. */
export type LockOutcome = { kind: 'held'; lock?: StoreLock; sinceNs?: bigint } | { kind: 'busy' };

/**
 * Takes the hash dir's lock for a real run, waiting (with a message) unless `noWait`. A dry run
 * changes nothing and never waits. `sinceNs`: when the lock was taken; anything older that a run
 * leaves behind is a crash leftover.
 */
export async function takeStoreLock(hashDir: string, opts: { dryRun: boolean; noWait: boolean }, out: Output): Promise<LockOutcome> {
  if (opts.dryRun) return { kind: 'held' };
  const got = await acquireStoreLock(hashDir, !opts.noWait, () => {
    out.err(`vhashify: another run holds '${hashDir}'; waiting for it to finish\n`);
  });
  if ('release' in got) return { kind: 'held', lock: got, sinceNs: BigInt(Date.now()) * 1_000_000n };
  if (got.kind === 'busy') {
    out.err(`vhashify: another run holds '${hashDir}'; giving up (--no-wait)\n`);
    return { kind: 'busy' };
  }
  // Any other failure (the hash dir does not exist, say) is reported by the next step, as upstream does.
  return { kind: 'held' };
}
