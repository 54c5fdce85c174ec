// The conductor's own counters: what its exit status and its callers need (--unshared's summary
// line). The reports (--totals, --json, --all's lines) count from the run's events instead (run-figures.ts).
import type { SkipReason } from './events.js';

/** Counters of one run (a dry run counts the same way, it only links nothing). */
export interface RunStats {
  unifying: number;
  linked: number;
  linkedBytes: bigint;
  newEntries: number;
  linkFailures: number;
  failedDirs: number;
  /** Files left private, or entries left unrepaired, because the claimed protection could not be applied. */
  protectionFailures: number;
  /** `name;XXXXXX` links left by a crashed run and removed by this one. */
  leftoversRemoved: number;
  skipped: Partial<Record<SkipReason, number>>;
}

/** A record with every counter at zero. */
export function createRunStats(): RunStats {
  return { unifying: 0, linked: 0, linkedBytes: 0n, newEntries: 0, linkFailures: 0, failedDirs: 0, protectionFailures: 0, leftoversRemoved: 0, skipped: {} };
}
