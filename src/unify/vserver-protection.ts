// `vserver`: upstream's IUNLINK|IMMUTABLE attributes, through the Linux-VServer system call itself.
import { existsSync } from 'node:fs';
import { formatErrno } from '../report/strerror.js';
import { getVserverIattrAt, IATTR_IMMUTABLE, IATTR_IUNLINK, setVserverIattrAt } from '../sys/vserver-attrs.js';
import type { ProtectedLink, Protection } from './protection.js';

/** True when the running kernel is a Linux-VServer kernel (it publishes /proc/virtual). */
export function hasVserverKernel(procRoot = '/proc'): boolean {
  return existsSync(`${procRoot}/virtual`);
}

const ILI = IATTR_IUNLINK | IATTR_IMMUTABLE;

/**
 * Spec 8.7: a file whose attributes cannot be queried, or whose file system does not support both
 * bits, is skipped as `operation not supported` (on a stock kernel: every file, exactly like
 * upstream); both bits set means "busy". Before a store entry gets another link, both bits are set
 * on it (spec 8.5 step 1); a failure is upstream's `vc_set_iattr()` line and no link is made.
 */
export function createVserverProtection(): Protection {
  return {
    policy: 'vserver',
    query(_stat, at) {
      let attrs;
      try {
        attrs = getVserverIattrAt(at.dirFd, at.name);
      } catch {
        return 'unsupported';
      }
      if ((attrs.mask & ILI) !== ILI) return 'unsupported';
      return (attrs.flags & ILI) === ILI ? 'busy' : 'linkable';
    },
    linkShared(entry, _isNew, link): ProtectedLink {
      try {
        setVserverIattrAt(entry.dirFd, entry.name, ILI, ILI);
      } catch (error) {
        return { kind: 'refused', message: `vc_set_iattr(): ${formatErrno(error)}\n`, failsRun: false };
      }
      const outcome = link();
      return outcome.ok ? { kind: 'linked' } : { kind: 'not-linked', outcome };
    },
    checkUnified: () => undefined,
    finish: () => [],
  };
}
