// A store looked at the way a dry run's start-up looks at it, for `--explain` and `--check`:
// configuration, storage roots, layout and protection policy. Creates nothing, takes no lock.
import type { ProtectPolicy } from '../cli/command-line.js';
import { readProtectPolicy } from '../config/read-protect-policy.js';
import { loadHashConfig, type HashConfigResult } from '../store/hash-config.js';
import { findLayoutProblems, type LayoutProblem } from '../store/layout-problems.js';
import { findStorageRoots, type StorageRootsResult } from '../store/storage-roots.js';
import { decidePolicy, type PolicyDecision } from './choose-protection.js';

/** What a run would find in a hash dir before it touches anything. */
export interface StoreInspection {
  /** The path used (absolute). */
  hashDir: string;
  /** The hash dir as upstream prints it (roots' printed paths are built from it). */
  printed: string | Buffer;
  config: HashConfigResult;
  roots: StorageRootsResult;
  layout: LayoutProblem[];
  policy: PolicyDecision;
  /** Where the policy word came from: the command line, a protect file, or the default. */
  policySource: string;
}

/** Reads the hash dir's configuration files (creating none), its roots, its layout and its policy. */
export function inspectStore(
  hashDir: string,
  printed: string | Buffer,
  protect: ProtectPolicy | undefined,
  vserverKernel?: boolean,
): StoreInspection {
  const choice = readProtectPolicy(protect, [`${hashDir.replace(/\/+$/, '')}/protect`]);
  return {
    hashDir,
    printed,
    config: loadHashConfig(hashDir, { dryRun: true }),
    roots: findStorageRoots(hashDir, printed),
    layout: findLayoutProblems(hashDir),
    policy: decidePolicy(protect, hashDir, vserverKernel),
    policySource: 'error' in choice ? '' : choice.source,
  };
}
