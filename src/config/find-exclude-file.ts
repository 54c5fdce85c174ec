// Which exclude list a guest uses (spec 3.1): exactly one file, no merging.
import { concatBytes } from '../store/byte-text.js';
import { computeDefaultAppDir, type InstallationPaths } from './installation.js';
import { isReadablePath } from './path-tests.js';
import type { Guest } from './resolve-guest.js';

/** The chosen exclude list, which link of the chain it is, and whether it can be read. */
export interface ExcludeFileChoice {
  path: Buffer;
  source: 'guest' | 'defaults' | 'packaged';
  /**
   * False only for the packaged default, which upstream takes even when unreadable or missing
   * (QUIRK Q08: it then includes everything); a real run should refuse instead.
   */
  readable: boolean;
}

/** The first readable of `<appdir>/exclude`, `.defaults/apps/vunify/exclude`, else the packaged default. */
export function findExcludeFile(
  inst: Pick<InstallationPaths, 'confDir' | 'defaultsDir'>,
  guest: Pick<Guest, 'appdir'>,
): ExcludeFileChoice {
  const own = concatBytes(guest.appdir, '/exclude');
  if (isReadablePath(own)) return { path: own, source: 'guest', readable: true };
  const defaults = concatBytes(computeDefaultAppDir(inst), '/exclude');
  if (isReadablePath(defaults)) return { path: defaults, source: 'defaults', readable: true };
  const packaged = concatBytes(inst.defaultsDir, '/vunify-exclude');
  return { path: packaged, source: 'packaged', readable: isReadablePath(packaged) };
}
