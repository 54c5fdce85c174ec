// Whether package management is asked for the guest's configuration files (spec 2.4).
import { concatBytes } from '../store/byte-text.js';
import { computeDefaultAppDir, type InstallationPaths } from './installation.js';
import { isReadablePath } from './path-tests.js';
import type { Guest } from './resolve-guest.js';

/** The switch and the flag file that decided it (undefined: no flag file, on by default). */
export interface PkgmgmtSwitch {
  enabled: boolean;
  decidedBy?: Buffer;
}

/**
 * The first readable of `<appdir>/pkgmgmt-ignore` (off), `<appdir>/pkgmgmt-force` (on), the same
 * two in `.defaults/apps/vunify`, else on. Contents do not matter. QUIRK Q06: upstream's
 * documentation spells the second flag `pgkmgmt-force`; only `pkgmgmt-force` is checked.
 */
export function findPkgmgmtSwitch(inst: Pick<InstallationPaths, 'confDir'>, guest: Pick<Guest, 'appdir'>): PkgmgmtSwitch {
  for (const dir of [guest.appdir, computeDefaultAppDir(inst)]) {
    for (const [flag, enabled] of [['pkgmgmt-ignore', false], ['pkgmgmt-force', true]] as const) {
      const path = concatBytes(dir, '/', flag);
      if (isReadablePath(path)) return { enabled, decidedBy: path };
    }
  }
  return { enabled: true };
}
