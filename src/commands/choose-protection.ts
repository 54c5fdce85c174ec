// Which protection a run applies (the command line, else the store's `protect` file, else `auto`),
// the proof that every storage root takes it, and the policy object for the traversal.
import type { ProtectPolicy } from '../cli/command-line.js';
import { formatAutoRefusal, readProtectPolicy } from '../config/read-protect-policy.js';
import { concatBytes } from '../store/byte-text.js';
import { findStorageRoots } from '../store/storage-roots.js';
import { AT_FDCWD, O_DIRECTORY, O_RDONLY } from '../sys/constants.js';
import { closeFd, openAt } from '../sys/open-at.js';
import { createImmutableProtection, type JournaledRoot } from '../unify/immutable-protection.js';
import { formatProofError, formatProofFix, proveImmutableFlag, proveVserverAttributes } from '../unify/prove-protection.js';
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
      const what = policy === 'immutable' ? 'the immutable flag' : "Linux-VServer's immutable-but-unlinkable attributes";
      return concatBytes(
        `vhashify: protection '${policy}' cannot be applied: the storage root '`, root.pathBytes, `' does not take ${what} (${formatProofError(failure)}); nothing was changed.\n`,
        formatProofFix(failure), '\n',
      );
    } finally {
      closeFd(fd);
    }
  }
  return undefined;
}

/** The policy's object for a traversal over these (open, journaled) roots. */
export function createProtection(policy: EffectivePolicy, roots: readonly JournaledRoot[]): Protection {
  if (policy === 'immutable') return createImmutableProtection(roots);
  if (policy === 'vserver') return createVserverProtection();
  return createNoProtection();
}
