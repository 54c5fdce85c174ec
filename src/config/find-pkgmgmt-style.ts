// The guest's package-management style and kind, decided as vpkg decides them
// (`pkgmgmt.guessStyle`, `pkgmgmt.isInternal` in util-vserver's scripts/functions; spec 4.3).
import { readFileSync } from 'node:fs';
import { concatBytes } from '../store/byte-text.js';
import { GuestAccessError, type OpenGuestRoot } from './guest-files.js';
import { isDirectoryPath, isExistingPath } from './path-tests.js';
import type { Guest } from './resolve-guest.js';

/** The style (`debian`, `redhat`, … or whatever a `style` file says) and internal/external. */
export interface PkgmgmtStyle {
  style: Buffer;
  /** External: the guest has `apps/pkgmgmt` without an `internal` file (vpkg's definition). */
  external: boolean;
  /** `<cfgdir>/apps/pkgmgmt` when it is a directory. */
  pkgmgmtDir?: Buffer;
  /** Where the style came from: the `style` file or the release file found in the guest. */
  decidedBy: Buffer;
}

/** vpkg's words when no style can be found (vpkg then exits 2). */
export const NO_STYLE_MESSAGE = 'Can not determine packagemanagement style\n';

// vpkg's order: the first release file present decides.
const RELEASE_FILES: ReadonlyArray<[file: string, style: string]> = [
  ['redhat-release', 'redhat'],
  ['fedora-release', 'redhat'],
  ['mandrake-release', 'mandrake'],
  ['debian_version', 'debian'],
  ['SuSE-release', 'suse'],
];

/**
 * The first line of `<cfgdir>/apps/pkgmgmt/style` when that file exists, else the style of the
 * first release file found in the guest's `/etc`, else an error carrying vpkg's message.
 * IMPROVEMENT: vpkg tests the release files with `test -e "$vdir/etc/…"` on the host, following
 * a guest's symlinks into the host; we only look at the guest's own `/etc` entries, never
 * following them (a symlink there counts as present: Fedora's `redhat-release` is one).
 */
export function findPkgmgmtStyle(guest: Pick<Guest, 'cfgdir' | 'vdir'>, openRoot: OpenGuestRoot): PkgmgmtStyle | { error: Buffer } {
  const dir = concatBytes(guest.cfgdir, '/apps/pkgmgmt');
  const pkgmgmtDir = isDirectoryPath(dir) ? dir : undefined;
  const external = pkgmgmtDir !== undefined && !isExistingPath(concatBytes(dir, '/internal'));
  const withDir = pkgmgmtDir === undefined ? {} : { pkgmgmtDir };
  const styleFile = concatBytes(dir, '/style');
  if (pkgmgmtDir !== undefined && isExistingPath(styleFile)) {
    return { style: readStyleFile(styleFile), external, decidedBy: styleFile, ...withDir };
  }
  const found = findReleaseFile(guest.vdir, openRoot);
  if (found === undefined) return { error: Buffer.from(NO_STYLE_MESSAGE) };
  return { style: Buffer.from(found[1]), external, decidedBy: concatBytes(guest.vdir, '/etc/', found[0]), ...withDir };
}

function findReleaseFile(vdir: Buffer, openRoot: OpenGuestRoot): readonly [string, string] | undefined {
  let root;
  try {
    root = openRoot(vdir);
  } catch (error) {
    if (error instanceof GuestAccessError) return undefined;
    throw error;
  }
  try {
    const etc = root.openDir('etc');
    try {
      return RELEASE_FILES.find(([file]) => etc.lookup(file) !== undefined);
    } finally {
      etc.close();
    }
  } catch (error) {
    // No `/etc` directory of its own (missing, or a symlink we do not follow): no release file.
    if (error instanceof GuestAccessError) return undefined;
    throw error;
  } finally {
    root.close();
  }
}

/**
 * What bash's `read style <file` leaves in `style`: the first line (a backslash-newline joins
 * lines), backslashes removed from before the byte they quote, surrounding blanks stripped. An
 * unreadable or empty file gives the empty style, which vpkg then calls unsupported.
 */
export function readStyleFile(path: Buffer): Buffer {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch {
    return Buffer.alloc(0);
  }
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b === 0x0a) break;
    if (b === 0x00) continue; // bash drops NUL bytes
    if (b === 0x5c) {
      const next = data[++i];
      if (next === undefined) break;
      if (next !== 0x0a) out.push(next);
      continue;
    }
    out.push(b);
  }
  let start = 0;
  let end = out.length;
  while (start < end && (out[start] === 0x20 || out[start] === 0x09)) start++;
  while (end > start && (out[end - 1] === 0x20 || out[end - 1] === 0x09)) end--;
  return Buffer.from(out.slice(start, end));
}
