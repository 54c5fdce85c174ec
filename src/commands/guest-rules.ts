// The match list a run of one guest would use (package configuration files first, then its exclude
// list), for the modes that must see the guest as a run would without running one.
import { CONFFILES_FAILED_MESSAGE, findPackageConffiles } from '../config/find-package-conffiles.js';
import { findExcludeFile } from '../config/find-exclude-file.js';
import { findPkgmgmtSwitch } from '../config/find-pkgmgmt-switch.js';
import type { Installation } from '../config/installation.js';
import type { ExcludeRule } from '../exclude/exclude-rule.js';
import { readExcludeFile } from '../exclude/read-exclude-file.js';
import { formatErrno } from '../report/strerror.js';
import { concatBytes } from '../store/byte-text.js';
import type { AdminGuest } from './admin-scope.js';

/**
 * The rules, with `note` when the exclude list cannot be opened (a real run refuses; counted here
 * with nothing excluded, as a dry run sees it); or the lines saying why there are none.
 */
export type GuestRules = { ok: true; rules: ExcludeRule[]; note?: Buffer } | { ok: false; message: Buffer };

/** Reads the guest's rules as hashifyGuest (vserver mode) or runManual (manual mode) does. */
export async function readGuestRules(inst: Installation | undefined, g: AdminGuest): Promise<GuestRules> {
  const rules: ExcludeRule[] = [];
  let excludePath: Buffer;
  if (g.guest !== undefined && inst !== undefined) {
    if (findPkgmgmtSwitch(inst, g.guest).enabled) {
      // IMPROVEMENT over QUIRK Q14: read from the guest's package database, running or stopped; no vpkg.
      const found = await findPackageConffiles(g.guest);
      if (!found.ok) return { ok: false, message: concatBytes(found.message, CONFFILES_FAILED_MESSAGE) };
      rules.push(...found.rules);
    }
    excludePath = findExcludeFile(inst, g.guest).path;
  } else {
    excludePath = g.excludeList ?? Buffer.alloc(0);
  }
  const excludes = readExcludeFile(excludePath);
  if (excludes.opened && excludes.error !== undefined) return { ok: false, message: Buffer.from(`read(): ${formatErrno(excludes.error)}\n`) };
  rules.push(...excludes.rules);
  if (excludes.error === undefined) return { ok: true, rules };
  const note = concatBytes("exclude list '", excludePath, `' cannot be read (${formatErrno(excludes.error)}): counted with nothing excluded; a run refuses`);
  return { ok: true, rules, note };
}
