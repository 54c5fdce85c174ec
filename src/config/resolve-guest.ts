// From the name on the command line to the guest's cfgdir, vdir and appdir (spec 2.2, 2.3, 2.5).
import { realpathSync } from 'node:fs';
import { concatBytes, toBytes } from '../store/byte-text.js';
import type { InstallationPaths } from './installation.js';
import { isDirectoryPath, isExistingPath, isRegularFilePath, isSymlinkPath } from './path-tests.js';

/** How a guest is configured (spec 2.2). Only `full` and `short` guests can be hashified. */
export type ConfigStyle = 'full' | 'short' | 'legacy' | 'none';

/** What name resolution needs from the process. */
export interface ResolveContext {
  /** The process's working directory. */
  cwd: string | Buffer;
  /** The environment (only `INIT_CWD` is read). */
  env: Readonly<Record<string, string | undefined>>;
}

/** A resolved guest. Paths to use are absolute; `printed` keeps upstream's strings for output. */
export interface Guest {
  /** The argument exactly as given (`g2/` stays `g2/`); printed and passed on as typed. */
  name: Buffer;
  style: 'full' | 'short';
  /** The configuration directory, absolute. */
  cfgdir: Buffer;
  /** The guest root: absolute, every symlink resolved (upstream's chdir + getcwd). */
  vdir: Buffer;
  /** `<cfgdir>/apps/vunify`, absolute; exists as a directory. */
  appdir: Buffer;
  /** cfgdir and appdir as upstream builds them by concatenation (relative for `./g`). */
  printed: { cfgdir: Buffer; appdir: Buffer };
}

/** Why a name does not lead to a hashifiable guest; each kind gets its own hint. */
export type GuestFailure =
  | { kind: 'unknown'; name: Buffer; cfgdir: Buffer }
  | { kind: 'legacy'; name: Buffer }
  | { kind: 'no-vdir'; name: Buffer; cfgdir: Buffer; vdirLink: Buffer; error?: NodeJS.ErrnoException }
  | { kind: 'no-appdir'; name: Buffer; cfgdir: Buffer; appdir: Buffer };

/** The outcome of resolving a name. */
export type GuestResolution = { ok: true; guest: Guest } | { ok: false; failure: GuestFailure };

const SLASH = 0x2f;
const APPS_VUNIFY = '/apps/vunify';

/**
 * The directory that relative name forms (`./g`, `../g`) are resolved against. IMPROVEMENT over
 * QUIRK Q30: util-vserver's `vserver` wrapper runs us with the working directory `/` and the
 * user's directory in `INIT_CWD`, so `vserver ./g hashify` means `$INIT_CWD/./g` (as the wrapper
 * itself checked it); upstream resolved it against `/`. Only when the cwd is `/`, so a stale
 * `INIT_CWD` (npm sets one too) never redirects a command run from elsewhere.
 */
export function computeBaseDir(ctx: ResolveContext): Buffer {
  const cwd = toBytes(ctx.cwd);
  const initCwd = ctx.env['INIT_CWD'];
  const cwdIsRoot = cwd.length === 1 && cwd[0] === SLASH;
  if (cwdIsRoot && initCwd !== undefined && initCwd.startsWith('/')) return Buffer.from(initCwd);
  return cwd;
}

/** `base` + `/` + `relative` (one slash between them), for anchoring a relative path. */
export function joinBase(base: Buffer, relative: Buffer): Buffer {
  if (relative[0] === SLASH) return relative;
  return base[base.length - 1] === SLASH ? concatBytes(base, relative) : concatBytes(base, '/', relative);
}

/** Whether the argument is upstream's path form: it starts with `/`, `./` or `../` (not bare `.`). */
export function isPathForm(name: Buffer): boolean {
  const text = name.toString('latin1');
  return text.startsWith('/') || text.startsWith('./') || text.startsWith('../');
}

/** The style and configuration directory upstream finds for a name (spec 2.2). */
export function detectConfigStyle(
  inst: Pick<InstallationPaths, 'confDir' | 'vserverDir'>,
  name: Buffer,
  base: Buffer,
): { style: ConfigStyle; printedCfgdir: Buffer; cfgdir: Buffer } {
  let style: ConfigStyle;
  let printedCfgdir: Buffer;
  let cfgdir: Buffer;
  if (isPathForm(name)) {
    printedCfgdir = name;
    // IMPROVEMENT over QUIRK Q07: the directory we use is absolute, so a per-guest hash dir of
    // `./g` still works once the walk has entered the guest; the printed form stays relative.
    cfgdir = joinBase(base, name);
    const vdir = concatBytes(cfgdir, '/vdir');
    // A dangling vdir symlink still makes a FULL guest (which then fails on its vdir).
    style = isDirectoryPath(vdir) || isSymlinkPath(vdir) ? 'full' : 'none';
  } else {
    printedCfgdir = cfgdir = concatBytes(inst.confDir, '/', name);
    if (isDirectoryPath(concatBytes(cfgdir, '/vdir'))) style = 'short';
    else if (isDirectoryPath(concatBytes(inst.vserverDir, '/', name)) && isRegularFilePath(concatBytes(inst.confDir, '/', name, '.conf'))) {
      style = 'legacy';
    } else style = 'none';
  }
  if ((style === 'full' || style === 'short') && isExistingPath(concatBytes(cfgdir, '/legacy'))) style = 'legacy';
  return { style, printedCfgdir, cfgdir };
}

/** Resolves a guest name or configuration-directory path as upstream vhashify does. */
export function resolveGuest(
  inst: Pick<InstallationPaths, 'confDir' | 'vserverDir'>,
  nameArg: Buffer | string,
  ctx: ResolveContext,
): GuestResolution {
  const name = toBytes(nameArg);
  const { style, printedCfgdir, cfgdir } = detectConfigStyle(inst, name, computeBaseDir(ctx));
  if (style === 'none') {
    // Upstream cannot tell these apart; for our hint, a dangling `vdir` link is worth naming.
    const vdirLink = concatBytes(cfgdir, '/vdir');
    if (isSymlinkPath(vdirLink)) return { ok: false, failure: { kind: 'no-vdir', name, cfgdir, vdirLink } };
    return { ok: false, failure: { kind: 'unknown', name, cfgdir } };
  }
  // Legacy guests are never supported (upstream finds neither vdir nor appdir for them).
  if (style === 'legacy') return { ok: false, failure: { kind: 'legacy', name } };

  const vdirLink = concatBytes(cfgdir, '/vdir');
  let vdir: Buffer;
  try {
    vdir = realpathSync.native(vdirLink, { encoding: 'buffer' });
  } catch (error) {
    return { ok: false, failure: { kind: 'no-vdir', name, cfgdir, vdirLink, error: error as NodeJS.ErrnoException } };
  }
  if (!isDirectoryPath(vdir)) return { ok: false, failure: { kind: 'no-vdir', name, cfgdir, vdirLink } };

  // Plain concatenation, as upstream: `g2/` gives `CONFDIR/g2//apps/vunify`.
  const appdir = concatBytes(cfgdir, APPS_VUNIFY);
  // QUIRK Q05: apps/vunify must exist even when everything else comes from .defaults.
  if (!isDirectoryPath(appdir)) return { ok: false, failure: { kind: 'no-appdir', name, cfgdir, appdir } };
  return {
    ok: true,
    guest: { name, style, cfgdir, vdir, appdir, printed: { cfgdir: printedCfgdir, appdir: concatBytes(printedCfgdir, APPS_VUNIFY) } },
  };
}
