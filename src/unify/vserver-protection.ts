// `vserver`: upstream's IUNLINK|IMMUTABLE attributes through util-vserver's own tools.
import { existsSync } from 'node:fs';
import type { Protection } from './protection.js';

/** True when the running kernel is a Linux-VServer kernel (it publishes /proc/virtual). */
export function hasVserverKernel(procRoot = '/proc'): boolean {
  return existsSync(`${procRoot}/virtual`);
}

/** The util-vserver tools used to read and set the attributes. */
export interface VserverTools {
  showattr: string;
  setattr: string;
  kernelSupportsAttributes: boolean;
}

/**
 * On a stock kernel every file is skipped as `operation not supported`, exactly like upstream
 * (spec 8.7). On a VServer kernel the flags are read with `showattr` (letters 6 and 7: u/U, i/I)
 * and set on the store entry with `setattr --iunlink` before it is linked (spec 8.5 step 1).
 */
export async function createVserverProtection(tools: VserverTools): Promise<Protection> {
  const { execaSync } = await import('execa');
  return {
    policy: 'vserver',
    query(_stat, procPath) {
      if (!tools.kernelSupportsAttributes) return 'unsupported';
      const target = procPath.toString('latin1').replace('/proc/self/', `/proc/${process.pid}/`);
      const result = execaSync(tools.showattr, [target], { reject: false, stdin: 'ignore', encoding: 'latin1' });
      const flags = String(result.stdout).slice(0, 9);
      if (result.exitCode !== 0 || flags.length < 9 || flags[5] === '-' || flags[6] === '-') return 'unsupported';
      return flags[5] === 'U' && flags[6] === 'I' ? 'busy' : 'linkable';
    },
    beforeLink(entryPath) {
      const result = execaSync(tools.setattr, ['--iunlink', entryPath], { reject: false, stdin: 'ignore' });
      if (result.exitCode === 0) return undefined;
      const why = String(result.stderr).split(': ').pop()?.trim() || 'Operation not supported';
      return `vc_set_iattr(): ${why}\n`;
    },
    unlock: () => false,
    afterLink: () => undefined,
    finish: async () => [],
  };
}
