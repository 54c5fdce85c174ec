// What `--overview` counts for one guest (filled by commands/tally-guest.ts).
import type { SharingFigures } from './sharing-tally.js';

/** The figures of one guest. Bytes are apparent sizes unless said. */
export interface GuestFigures {
  /** Regular files of 16 bytes or more that the match list includes: what a run looks at. */
  eligible: number;
  eligibleBytes: bigint;
  /** Eligible files whose inode is a store entry. */
  linked: number;
  linkedBytes: bigint;
  /** Eligible files on a file system the store has no root for (a run skips them: `no matching device`). */
  noStorageRoot: number;
  /** "Saved" over the eligible files (report/sharing-tally.ts). */
  sharing: SharingFigures;
  /** Distinct store entries the guest links that lack the immutable flag while the policy asks for it. */
  unprotectedEntries: number;
  /** Directories that could not be read (their files are not counted). */
  failedDirs: number;
}
