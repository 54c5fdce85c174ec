// Everything a vserver-mode run of one guest would read before its store (spec 1.6 step 6.3–6.4):
// package config files, the exclude list and the hash dir, read without printing or changing
// anything, for `--explain` and `--check`. hashify-guest.ts runs the same lookups in upstream's order.
import type { CommandLine } from '../cli/command-line.js';
import { findExcludeFile, type ExcludeFileChoice } from '../config/find-exclude-file.js';
import { findHashDir, type HashDirChoice } from '../config/find-hash-dir.js';
import { findPackageConffiles, type PackageConffiles } from '../config/find-package-conffiles.js';
import { findPkgmgmtSwitch, type PkgmgmtSwitch } from '../config/find-pkgmgmt-switch.js';
import type { Installation } from '../config/installation.js';
import { computeBaseDir, type Guest } from '../config/resolve-guest.js';
import type { ExcludeRule } from '../exclude/exclude-rule.js';
import { readExcludeFile, type ExcludeFileResult } from '../exclude/read-exclude-file.js';
import type { RunEnvironment } from './traverse-guest.js';

/** A guest's settings as a run would find them. */
export interface GuestSettings {
  pkgmgmt: PkgmgmtSwitch;
  /** Read when the switch is on. */
  conffiles?: PackageConffiles;
  exclude: ExcludeFileChoice;
  excludes: ExcludeFileResult;
  /** Undefined: `no hash-directory configured for this vserver.` */
  hashDir?: HashDirChoice;
}

/** Reads the guest's package config files, exclude list and hash dir choice. */
export async function readGuestSettings(
  inst: Installation,
  guest: Guest,
  cmd: Pick<CommandLine, 'destination'>,
  env: Pick<RunEnvironment, 'cwd' | 'vars'>,
): Promise<GuestSettings> {
  const pkgmgmt = findPkgmgmtSwitch(inst, guest);
  const exclude = findExcludeFile(inst, guest);
  const settings: GuestSettings = { pkgmgmt, exclude, excludes: readExcludeFile(exclude.path) };
  if (pkgmgmt.enabled) settings.conffiles = await findPackageConffiles(guest);
  const hashDir = findHashDir(inst, guest, cmd.destination, computeBaseDir({ cwd: env.cwd, env: env.vars ?? {} }));
  if (hashDir !== undefined) settings.hashDir = hashDir;
  return settings;
}

/** The match list's entries in a run's order: package config files first, then the exclude file's. */
export function listGuestRules(settings: GuestSettings): ExcludeRule[] {
  const conffiles = settings.conffiles?.ok === true ? settings.conffiles.rules : [];
  return [...conffiles, ...settings.excludes.rules];
}
