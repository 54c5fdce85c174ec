// Which protection a run applies (the command line, else the store's `protect` file, else `auto`),
// the proof that every storage root takes it, and the policy object for the traversal.
import type { ProtectPolicy } from '../cli/command-line.js';
import { formatAutoRefusal, readProtectPolicy } from '../config/read-protect-policy.js';
import { concatBytes } from '../store/byte-text.js';
import { findStorageRoots, type StorageRoot } from '../store/storage-roots.js';
import { AT_FDCWD, O_DIRECTORY, O_RDONLY } from '../sys/constants.js';
import { closeFd, openAt } from '../sys/open-at.js';
import { createImmutableProtection, type JournaledRoot } from '../unify/immutable-protection.js';
import {
  formatProofError, formatProofFix, proveImmutableFlag, proveImmutableFlagUnnamed, proveVserverAttributes, type ProofFailure,
} from '../unify/prove-protection.js';
import { createNoProtection, type EffectivePolicy, type Protection } from '../unify/protection.js';
import { createVserverProtection, hasVserverKernel } from '../unify/vserver-protection.js';

/** The policy to use, or the lines that refuse the run (exit 1). */
export type PolicyDecision = { ok: true; policy: EffectivePolicy } | { ok: false; message: string };

/**
 * The policy belongs to the store (guests that share entries must share it): a one-word `protect`
 * file in the hash dir, beside `method`; `--protect` overrides it for one run. `auto` means
 * `vserver` on a Linux-VServer kernel and a refusal that names the choices elsewhere.
 */
export function decidePolicy(cli: ProtectPolicy | undefined, hashDir: string, vserverKernel = hasVserverKernel()): PolicyDecision {
  const protectFiles = [`${hashDir.replace(/\/+$/, '')}/protect`];
  const choice = readProtectPolicy(cli, protectFiles);
  if ('error' in choice) return { ok: false, message: choice.error };
  if (choice.policy === 'none' || choice.policy === 'immutable' || choice.policy === 'vserver') return { ok: true, policy: choice.policy };
  return vserverKernel ? { ok: true, policy: 'vserver' } : { ok: false, message: formatAutoRefusal(protectFiles) };
}

/**
 * Before a real run touches anything: every storage root of the hash dir must take the policy's
 * protection on a scratch file. Undefined when it does (or there is nothing to prove: `none`,
 * `vserver` on a stock kernel, where upstream skips every file; a hash dir the start-up will report).
 */
export function proveProtection(policy: EffectivePolicy, hashDir: string, vserverKernel = hasVserverKernel()): Buffer | undefined {
  if (policy === 'none' || (policy === 'vserver' && !vserverKernel)) return undefined;
  const found = findStorageRoots(hashDir);
  if ('error' in found) return undefined;
  for (const root of found.roots) {
    let fd: number;
    try {
      fd = openAt(AT_FDCWD, root.pathBytes, O_RDONLY | O_DIRECTORY);
    } catch {
      continue; // the start-up reports an unusable root as upstream does
    }
    try {
      const failure = policy === 'immutable' ? proveImmutableFlag(fd) : proveVserverAttributes(fd);
      if (failure === undefined) continue;
      return formatProofRefusal(policy, root.pathBytes, failure);
    } finally {
      closeFd(fd);
    }
  }
  return undefined;
}

/** The two lines that refuse a run whose policy a storage root cannot take. */
function formatProofRefusal(policy: 'immutable' | 'vserver', root: Buffer, failure: ProofFailure): Buffer {
  const what = policy === 'immutable' ? 'the immutable flag' : "Linux-VServer's immutable-but-unlinkable attributes";
  return concatBytes(
    `vhashify: protection '${policy}' cannot be applied: the storage root '`, root, `' does not take ${what} (${formatProofError(failure)}); nothing was changed.\n`,
    formatProofFix(failure), '\n',
  );
}

/** What `--check` learned about one storage root: proved, refused (a real run's lines), or left open. */
export type RootProof =
  | { kind: 'proved'; root: StorageRoot }
  | { kind: 'failed'; root: StorageRoot; failure: ProofFailure }
  | { kind: 'not-proved'; root: StorageRoot; reason: string };

/**
 * proveProtection for `--check`, which must change nothing: the flag is tried on an unnamed
 * O_TMPFILE file only; where a proof would need a named scratch file (no O_TMPFILE; the vserver
 * attributes, which are set by name) it is left to the real run, with the reason.
 */
export function checkProtection(policy: EffectivePolicy, hashDir: string, vserverKernel = hasVserverKernel()): RootProof[] {
  if (policy === 'none' || (policy === 'vserver' && !vserverKernel)) return [];
  const found = findStorageRoots(hashDir);
  if ('error' in found) return [];
  const proofs: RootProof[] = [];
  for (const root of found.roots) {
    if (policy === 'vserver') {
      proofs.push({ kind: 'not-proved', root, reason: 'the attributes can only be tried on a named scratch file, which a real run makes' });
      continue;
    }
    let fd: number;
    try {
      fd = openAt(AT_FDCWD, root.pathBytes, O_RDONLY | O_DIRECTORY);
    } catch {
      continue; // an unusable root is a finding of its own
    }
    try {
      const outcome = proveImmutableFlagUnnamed(fd);
      if (outcome === undefined) proofs.push({ kind: 'proved', root });
      else if (outcome === 'no-unnamed-file') {
        proofs.push({ kind: 'not-proved', root, reason: 'its file system has no unnamed files (O_TMPFILE) to try the flag on; a real run tries it on a named scratch file' });
      } else proofs.push({ kind: 'failed', root, failure: outcome });
    } finally {
      closeFd(fd);
    }
  }
  return proofs;
}

/** The policy's object for a traversal over these (open, journaled) roots. */
export function createProtection(policy: EffectivePolicy, roots: readonly JournaledRoot[]): Protection {
  if (policy === 'immutable') return createImmutableProtection(roots);
  if (policy === 'vserver') return createVserverProtection();
  return createNoProtection();
}
