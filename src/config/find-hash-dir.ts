// Which hash dir a guest's files go to (spec 5.1).
import { concatBytes, toBytes } from '../store/byte-text.js';
import { computeDefaultAppDir, type InstallationPaths } from './installation.js';
import { isDirectoryPath } from './path-tests.js';
import { joinBase, type Guest } from './resolve-guest.js';

/** The hash dir: the absolute path to use, the string upstream builds (for -vvvv lines), its origin. */
export interface HashDirChoice {
  path: Buffer;
  /** As upstream has it: `--destination` as typed, `<cfgdir as typed>/apps/vunify/hash`, … */
  printed: Buffer;
  source: 'destination' | 'guest' | 'defaults';
}

/**
 * `--destination`, else `<appdir>/hash`, else `.defaults/apps/vunify/hash` (each a directory,
 * links followed), else undefined (`no hash-directory configured for this vserver.`). The
 * `protect` policy file lives in the chosen directory, beside `method`.
 */
export function findHashDir(
  inst: Pick<InstallationPaths, 'confDir'>,
  guest: Pick<Guest, 'appdir' | 'printed'>,
  destination: Buffer | string | undefined,
  baseDir: Buffer,
): HashDirChoice | undefined {
  if (destination !== undefined) {
    // IMPROVEMENT over QUIRK Q04: upstream aborts (invalid free()) after setting up this
    // directory; we use it, as was evidently meant. Like every path, it is anchored now (Q22)
    // against the directory the user typed it in (INIT_CWD through the wrapper, computeBaseDir).
    const printed = toBytes(destination);
    // QUIRK Q03: an empty destination stays empty (the config files become `/method`, …).
    const path = printed.length === 0 ? printed : joinBase(baseDir, printed);
    return { path, printed, source: 'destination' };
  }
  const own = concatBytes(guest.appdir, '/hash');
  if (isDirectoryPath(own)) return { path: own, printed: concatBytes(guest.printed.appdir, '/hash'), source: 'guest' };
  const defaults = concatBytes(computeDefaultAppDir(inst), '/hash');
  if (isDirectoryPath(defaults)) return { path: defaults, printed: defaults, source: 'defaults' };
  return undefined;
}
