// How shared inodes are protected from in-place writes by guests (DESIGN: kernel protection policy).
import type { BigIntStats } from 'node:fs';
import type { ProtectionState } from '../walk/classify-entry.js';

/** The policies a run can use once `auto` has been decided. */
export type EffectivePolicy = 'vserver' | 'immutable' | 'none';

/** What the unify stage asks of a policy. */
export interface Protection {
  readonly policy: EffectivePolicy;
  /** Upstream's flag query before hashing (spec 7.3 row 7). */
  query(stat: BigIntStats, procPath: Buffer): ProtectionState;
  /** Called before a store entry gets another link; a returned line means: do not link. */
  beforeLink(entryPath: string): string | undefined;
  /** The link failed with EPERM: make the entry linkable again if this policy locked it; true to retry. */
  unlock(entryPath: string): boolean;
  /** A store entry now has the link it was meant to get. */
  afterLink(entryPath: string): void;
  /** End of run: apply what was batched; returns stderr lines for what failed. */
  finish(): Promise<string[]>;
}

/** `none`: plain hard links, nothing is locked (trusted guests only). */
export function createNoProtection(): Protection {
  return {
    policy: 'none',
    query: () => 'linkable',
    beforeLink: () => undefined,
    unlock: () => false,
    afterLink: () => undefined,
    finish: async () => [],
  };
}
