// The configured guests, for `--all`: every configuration directory in CONFDIR.
import { readdirSync } from 'node:fs';
import { concatBytes } from '../store/byte-text.js';
import type { InstallationPaths } from './installation.js';
import { isDirectoryPath, isExistingPath } from './path-tests.js';
import { resolveGuest, type GuestResolution, type ResolveContext } from './resolve-guest.js';

/** One configured guest: whether it asked to be hashified, and what resolving its name gives. */
export interface ListedGuest {
  name: Buffer;
  /** `apps/vunify` exists: the admin opted this guest in (QUIRK Q05 makes it the switch). */
  optedIn: boolean;
  /** `<cfgdir>/disabled` exists: util-vserver's `--all` leaves such guests out. */
  disabled: boolean;
  resolution: GuestResolution;
}

// Backup copies that package managers leave beside a configuration directory; util-vserver's
// own guest listing (`getAllVservers`) skips them too.
const BACKUP_NAME = /\.rpmsave$|\.rpmnew$|\.rpmorig$|\.cfsaved|\.~.*~$/;

/**
 * The directories of CONFDIR (symlinks to directories count) sorted by name bytes, without dot
 * names (`.defaults`, `.distributions`, …) and backup copies. An unreadable CONFDIR throws.
 */
export function listGuests(inst: Pick<InstallationPaths, 'confDir' | 'vserverDir'>, ctx: ResolveContext): ListedGuest[] {
  const names = (readdirSync(inst.confDir, { encoding: 'buffer' }) as Buffer[])
    .filter((name) => name[0] !== 0x2e && !BACKUP_NAME.test(name.toString('latin1')))
    .sort(Buffer.compare);
  const guests: ListedGuest[] = [];
  for (const name of names) {
    const cfgdir = concatBytes(inst.confDir, '/', name);
    if (!isDirectoryPath(cfgdir)) continue;
    guests.push({
      name,
      optedIn: isDirectoryPath(concatBytes(cfgdir, '/apps/vunify')),
      disabled: isExistingPath(concatBytes(cfgdir, '/disabled')),
      resolution: resolveGuest(inst, name, ctx),
    });
  }
  return guests;
}
