// The guest's configuration files according to its package manager (spec 4), found without vpkg
// and without a running guest: the conffile entries that go first in the match list (spec 4.4).
import { tmpdir } from 'node:os';
import type { ExcludeRule } from '../exclude/exclude-rule.js';
import { concatBytes } from '../store/byte-text.js';
import { DEFAULT_CONFFILE_LIMITS, type ConffileLimits } from './conffile-limits.js';
import { findPkgmgmtStyle } from './find-pkgmgmt-style.js';
import { GuestAccessError, type OpenGuestRoot } from './guest-files.js';
import { openSysGuestRoot } from './sys-guest-files.js';
import { readDebianConffiles } from './read-debian-conffiles.js';
import { createRpmRunner, readRpmConffiles, RpmConffilesError, type RunRpm } from './read-rpm-conffiles.js';
import type { Guest } from './resolve-guest.js';
import { quoteShellWord } from '../report/shell-quote.js';

/** What vhashify prints after any failure here, then exits 1 (spec 4.2). */
export const CONFFILES_FAILED_MESSAGE = 'failed to determine configfiles\n';

/** How findPackageConffiles reaches the guest and the host's rpm (tests replace them). */
export interface PackageConffilesOptions {
  openRoot?: OpenGuestRoot;
  runRpm?: RunRpm;
  /** Where an rpm database copy is made (default: the OS temporary directory). */
  tempDir?: string;
  limits?: ConffileLimits;
}

/**
 * The entries, in upstream's order, ready to go before the exclude file's in createMatchList; or
 * the message to print (vpkg's own words where vpkg has them), then CONFFILES_FAILED_MESSAGE.
 * `hint` is our advice for a terminal.
 */
export type PackageConffiles =
  | { ok: true; style: Buffer; rules: ExcludeRule[] }
  | { ok: false; message: Buffer; hint?: Buffer };

const RPM_STYLES = new Set(['redhat', 'mandrake', 'pld']);

/** Decides the style as vpkg does, then reads the dpkg or rpm database of the (stopped or running) guest. */
export async function findPackageConffiles(
  guest: Pick<Guest, 'name' | 'cfgdir' | 'vdir' | 'appdir'>,
  opts: PackageConffilesOptions = {},
): Promise<PackageConffiles> {
  const openRoot = opts.openRoot ?? openSysGuestRoot;
  const limits = opts.limits ?? DEFAULT_CONFFILE_LIMITS;
  const found = findPkgmgmtStyle(guest, openRoot);
  if ('error' in found) return { ok: false, message: found.error };
  const { style } = found;
  const styleName = style.toString('latin1');
  const ignoreHint = concatBytes(
    'To hashify this guest without its package list (its configuration files are then hashified too): touch ',
    quoteShellWord(concatBytes(guest.appdir, '/pkgmgmt-ignore')),
    '\n',
  );
  const failure = (what: string): PackageConffiles => ({
    ok: false,
    message: concatBytes("vhashify: cannot list the configuration files of guest '", guest.name, `': ${what}\n`),
    hint: ignoreHint,
  });
  try {
    if (styleName === 'debian') {
      if (found.external) return { ok: false, message: Buffer.from("'external' packagemanagement is not supported for Debian\n") };
      return { ok: true, style, rules: readDebianConffiles(guest.vdir, openRoot, limits) };
    }
    if (RPM_STYLES.has(styleName)) {
      const place = found.external && found.pkgmgmtDir !== undefined ? { kind: 'external' as const, pkgmgmtDir: found.pkgmgmtDir } : { kind: 'guest' as const, vdir: guest.vdir };
      const rules = await readRpmConffiles(place, { openRoot, runRpm: opts.runRpm ?? createRpmRunner(), tempDir: opts.tempDir ?? tmpdir(), limits });
      return { ok: true, style, rules };
    }
  } catch (error) {
    if (error instanceof RpmConffilesError && error.reason === 'no-rpm') {
      return {
        ok: false,
        message: concatBytes(
          "vhashify: guest '",
          guest.name,
          `' uses rpm (style ${styleName}), but this host has no 'rpm' program to read its package database with; install it (apt-get install rpm) or touch `,
          quoteShellWord(concatBytes(guest.appdir, '/pkgmgmt-ignore')),
          '\n',
        ),
      };
    }
    if (error instanceof RpmConffilesError || error instanceof GuestAccessError) return failure(error.message);
    throw error;
  }
  return { ok: false, message: concatBytes("Packagemanagement is not supported for '", style, "' style\n") };
}
