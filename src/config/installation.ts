// Where util-vserver lives on this host: read from util-vserver-vars (spec 2.6), or upstream's
// compiled-in directories when there is no such file (spec 2.1).
import { readFileSync, statSync } from 'node:fs';
import { concatBytes } from '../store/byte-text.js';
import { parseShellVars, type ShellVarProblem } from './parse-shell-vars.js';

/** The default location of util-vserver-vars, as util-vserver's own scripts have it. */
export const DEFAULT_VARS_FILE = '/usr/lib/util-vserver/util-vserver-vars';

/** Every directory and program of the installation that vhashify, the installer and `--all` use. */
export interface InstallationPaths {
  /** `__CONFDIR`: one configuration directory per guest, and `.defaults`. */
  confDir: Buffer;
  /** `__PKGLIBDEFAULTDIR`: holds the packaged default exclude list `vunify-exclude`. */
  defaultsDir: Buffer;
  /** `__DEFAULT_VSERVERDIR`: where guests are built (legacy guests live here). */
  vserverDir: Buffer;
  /** `__PKGLIBEXECDIR` (older files: `__PKGLIBDIR`): vhashify, vpkg and friends. */
  pkgLibExecDir: Buffer;
  /** `__PKGDATADIR`: shell function libraries. */
  pkgDataDir: Buffer;
  /** `__DISTRIBDIR`: the packaged per-distribution build files (initpost). */
  distribDir: Buffer;
  /** `__SBINDIR`: `vserver`, `setattr`. */
  sbinDir: Buffer;
  /** `__PKGSTATEDIR`: run-time state. */
  pkgStateDir: Buffer;
  /** `_VPKG`. */
  vpkg: Buffer;
  /** `_SETATTR`. */
  setattr: Buffer;
  /** `_VHASHIFY`: the program `vserver <name> hashify` runs. */
  vhashify: Buffer;
}

/** A key of InstallationPaths. */
export type InstallationKey = keyof InstallationPaths;

/** Where one value came from, for `--check` and messages. */
export type InstallationSource =
  | { from: 'vars-file'; variable: string }
  | { from: 'derived'; detail: string }
  | { from: 'compiled-in'; detail: string };

/** The installation: its paths, where each came from, and what the vars file held that we skipped. */
export interface Installation extends InstallationPaths {
  /** The util-vserver-vars path consulted. */
  varsFile: string;
  /** Whether that file existed and was read. */
  varsFound: boolean;
  sources: Record<InstallationKey, InstallationSource>;
  problems: ShellVarProblem[];
}

/** Why no installation record could be made: the text to print, as util-vserver's scripts word it. */
export interface InstallationError {
  error: string;
}

/** What findInstallation may consult besides the environment (tests replace the file system probes). */
export interface InstallationProbes {
  isDirectory?: (path: string) => boolean;
  readFile?: (path: string) => Buffer;
}

// The defaults directory is looked for where installations put it: Debian's packages (and the
// mailing list's advice) under /usr/lib, upstream's own `make install` under /usr/share.
const DEFAULTS_DIR_CANDIDATES = ['/usr/lib/util-vserver/defaults', '/usr/share/util-vserver/defaults'];

/**
 * Reads `$UTIL_VSERVER_VARS` (default DEFAULT_VARS_FILE). A missing file at the default path
 * means upstream's compiled-in directories; a missing file that the environment names is an
 * error, so a mistyped sandbox path never silently falls back to the host's /etc/vservers.
 */
export function findInstallation(
  env: Readonly<Record<string, string | undefined>>,
  probes: InstallationProbes = {},
): Installation | InstallationError {
  const isDirectory = probes.isDirectory ?? isDirectoryOnDisk;
  const readFile = probes.readFile ?? ((path: string) => readFileSync(path));
  const named = env['UTIL_VSERVER_VARS'];
  const varsFile = named !== undefined && named !== '' ? named : DEFAULT_VARS_FILE;
  let data: Buffer | undefined;
  try {
    data = readFile(varsFile);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' || varsFile !== DEFAULT_VARS_FILE) {
      return { error: `Can not find util-vserver installation (the file '${varsFile}' would be expected); aborting...\n` };
    }
  }
  const parsed = data === undefined ? { vars: new Map<string, Buffer>(), problems: [] } : parseShellVars(data);
  return buildInstallation(varsFile, data !== undefined, parsed.vars, parsed.problems, isDirectory);
}

function buildInstallation(
  varsFile: string,
  varsFound: boolean,
  vars: Map<string, Buffer>,
  problems: ShellVarProblem[],
  isDirectory: (path: string) => boolean,
): Installation {
  const sources = {} as Record<InstallationKey, InstallationSource>;
  const paths = {} as InstallationPaths;
  // The first variable that the file assigns a non-empty value, else the fallback.
  const take = (key: InstallationKey, names: string[], fallback: () => [Buffer, InstallationSource]): Buffer => {
    for (const name of names) {
      const value = vars.get(name);
      if (value !== undefined && value.length > 0) {
        sources[key] = { from: 'vars-file', variable: name };
        return (paths[key] = value);
      }
    }
    const [value, source] = fallback();
    sources[key] = source;
    return (paths[key] = value);
  };
  const compiled = (value: string): [Buffer, InstallationSource] => [Buffer.from(value), { from: 'compiled-in', detail: value }];
  const derived = (...parts: Array<string | Buffer>): [Buffer, InstallationSource] => {
    const value = concatBytes(...parts);
    return [value, { from: 'derived', detail: value.toString() }];
  };

  take('confDir', ['__CONFDIR'], () => compiled('/etc/vservers'));
  take('vserverDir', ['__DEFAULT_VSERVERDIR'], () => compiled('/vservers'));
  const execDir = take('pkgLibExecDir', ['__PKGLIBEXECDIR', '__PKGLIBDIR'], () => compiled('/usr/lib/util-vserver'));
  const dataDir = take('pkgDataDir', ['__PKGDATADIR', '__PKGLIBDIR'], () => compiled('/usr/share/util-vserver'));
  take('defaultsDir', ['__PKGLIBDEFAULTDIR'], () => {
    if (varsFound) return derived(dataDir, '/defaults');
    const found = DEFAULTS_DIR_CANDIDATES.find((dir) => isDirectory(dir));
    if (found !== undefined) return [Buffer.from(found), { from: 'compiled-in', detail: `${found} (found there)` }];
    return compiled(DEFAULTS_DIR_CANDIDATES[1]!);
  });
  take('distribDir', ['__DISTRIBDIR'], () => derived(dataDir, '/distributions'));
  const sbinDir = take('sbinDir', ['__SBINDIR'], () => compiled('/usr/sbin'));
  take('pkgStateDir', ['__PKGSTATEDIR'], () => compiled('/var/run/vservers'));
  take('vpkg', ['_VPKG'], () => derived(execDir, '/vpkg'));
  take('setattr', ['_SETATTR'], () => derived(sbinDir, '/setattr'));
  take('vhashify', ['_VHASHIFY'], () => derived(execDir, '/vhashify'));
  return { ...paths, varsFile, varsFound, sources, problems };
}

function isDirectoryOnDisk(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}

/** `CONFDIR/.defaults/apps/vunify`: the fallback exclude list, hash dir and flags of every guest. */
export function computeDefaultAppDir(inst: Pick<InstallationPaths, 'confDir'>): Buffer {
  return concatBytes(inst.confDir, '/.defaults/apps/vunify');
}
