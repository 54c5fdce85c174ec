// Which protection a run applies: the command line, else the store's `protect` file, else `auto`.
import type { ProtectPolicy } from '../cli/command-line.js';
import { formatAutoRefusal, readProtectPolicy } from '../config/read-protect-policy.js';
import { createImmutableProtection } from '../unify/immutable-protection.js';
import { createNoProtection, type Protection } from '../unify/protection.js';
import { createVserverProtection, hasVserverKernel } from '../unify/vserver-protection.js';

/** The protection to use, or the lines that refuse the run (exit 1). */
export type ProtectionChoice = { ok: true; protection: Protection } | { ok: false; message: string };

/**
 * The policy belongs to the store (guests that share entries must share it): a one-word `protect`
 * file in the hash dir, beside `method`; `--protect` overrides it for one run. `auto` means
 * `vserver` on a Linux-VServer kernel and a refusal that names the choices elsewhere.
 */
export async function chooseProtection(cli: ProtectPolicy | undefined, hashDir: string, vserverKernel = hasVserverKernel()): Promise<ProtectionChoice> {
  const protectFiles = [`${hashDir.replace(/\/+$/, '')}/protect`];
  const choice = readProtectPolicy(cli, protectFiles);
  if ('error' in choice) return { ok: false, message: choice.error };
  if (choice.policy === 'none') return { ok: true, protection: createNoProtection() };
  if (choice.policy === 'immutable') return { ok: true, protection: await createImmutableProtection() };
  if (choice.policy === 'vserver' || vserverKernel) {
    return { ok: true, protection: await createVserverProtection({ showattr: 'showattr', setattr: 'setattr', kernelSupportsAttributes: vserverKernel }) };
  }
  return { ok: false, message: formatAutoRefusal(protectFiles) };
}
