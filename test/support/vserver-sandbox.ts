// A util-vserver installation in a temporary directory for one vserver.json scenario: nothing of the host's is used.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath, vserverStandInPath } from './paths.js';
import { createProductEnvironment } from './run-cli.js';
import { buildTree, destroyFixture, materializeTree } from './tree-fixture.js';
import { findMountPointsBelow } from './tree-mounts.js';
import { substitutePlaceholders, type Placeholders, type TreeEntry } from './tree-vectors.js';
import {
  createVserverPlaceholders, type PackagedDefault, type VserverPaths, type VserverScenario,
} from './vserver-vectors.js';

/** A materialised scenario: `${ROOT}` and `${CONFDIR}` on tmpfs mounts of their own, the rest plain files. */
export interface VserverSandbox extends VserverPaths {
  /** The temporary directory that holds everything; `destroyVserverSandbox` removes it. */
  base: Buffer;
  placeholders: Placeholders;
  /** `$__SBINDIR/vserver`: a symlink to the wrapper stand-in (see `checkWrapperStandIn`). */
  wrapper: string;
  /** What every run adds to run-cli.ts's fixed environment, direct or through the wrapper. */
  env: Readonly<Record<string, string>>;
}

/** Choices for self-checks. */
export interface VserverSandboxOptions {
  /** A shell script to install as `_VHASHIFY` instead of the launcher of the product. */
  vhashifyScript?: string;
}

// Mirrors an installation with prefix /usr; the mount points are created by `createVserverSandbox`.
const layout = {
  root: 'root',
  confDir: 'etc/vservers',
  dataDir: 'usr/share/util-vserver',
  defaultsDir: 'usr/share/util-vserver/defaults', // what util-vserver-vars makes of "$__PKGDATADIR/defaults"
  libexecDir: 'usr/lib/util-vserver',
  sbinDir: 'usr/sbin',
  cacheDir: 'var/cache/vhashify',
} as const;

// README, run environment: PATH=/usr/sbin:/usr/bin:/sbin:/bin and nothing else (the product needs no other PATH entry).
const runPath = '/usr/sbin:/usr/bin:/sbin:/bin';

/** Builds the scenario's installation: trees in readdir order, packaged defaults checked, util-vserver-vars, launcher, wrapper. */
export function createVserverSandbox(
  scenario: Pick<VserverScenario, 'config' | 'tree'>,
  packagedDefaults: readonly PackagedDefault[],
  options: VserverSandboxOptions = {},
): VserverSandbox {
  const base = Buffer.from(mkdtempSync(join(tmpdir(), 'vhashify-vserver-')));
  try {
    const at = (relative: string): string => join(base.toString(), relative);
    for (const dir of Object.values(layout)) mkdirSync(at(dir), { recursive: true });
    const paths = { root: Buffer.from(at(layout.root)), confDir: Buffer.from(at(layout.confDir)), defaultsDir: Buffer.from(at(layout.defaultsDir)) };
    const placeholders = createVserverPlaceholders(paths);
    materializeTree(paths.root, substituteTargets(scenario.tree, placeholders));
    materializeTree(paths.confDir, substituteTargets(scenario.config, placeholders));
    createPackagedDefaults(paths.defaultsDir, packagedDefaults);
    const varsFile = at(`${layout.libexecDir}/util-vserver-vars`);
    const env = { PATH: runPath, UTIL_VSERVER_VARS: varsFile, VHASHIFY_CACHE_DIR: at(layout.cacheDir) };
    writeFileSync(varsFile, formatVarsFile(at, paths));
    writeScript(at(`${layout.libexecDir}/vhashify`), options.vhashifyScript ?? formatLauncher(env));
    writeScript(at(`${layout.libexecDir}/vpkg`), vpkgScript);
    const wrapper = at(`${layout.sbinDir}/vserver`);
    symlinkSync(vserverStandInPath, wrapper);
    return { base, ...paths, placeholders, wrapper, env };
  } catch (error) {
    destroyVserverSandbox(base);
    throw error;
  }
}

/** Throws a readable error when the wrapper stand-in is not in the checkout (it comes with branch compat-scripts). */
export function checkWrapperStandIn(): void {
  if (!existsSync(vserverStandInPath)) throw new Error(`the vserver wrapper stand-in ${vserverStandInPath} is missing (branch compat-scripts)`);
}

/** Unmounts `${ROOT}` and `${CONFDIR}` and removes the sandbox; refuses to delete while anything is still mounted in it. */
export function destroyVserverSandbox(base: Buffer): void {
  if (!existsSync(base)) return;
  const mounted = findMountPointsBelow(base);
  for (const relative of [layout.root, layout.confDir]) {
    const dir = Buffer.from(join(base.toString(), relative));
    if (mounted.some((point) => point.equals(dir))) destroyFixture(dir);
  }
  const left = findMountPointsBelow(base);
  if (left.length > 0) throw new Error(`still mounted in the sandbox, not removing it: ${left.join(', ')}`);
  rmSync(base, { recursive: true, force: true });
}

function substituteTargets(entries: readonly TreeEntry[], placeholders: Placeholders): TreeEntry[] {
  return entries.map((entry) => (entry.type === 'symlink' ? { ...entry, target: substitutePlaceholders(entry.target!, placeholders) } : entry));
}

// README: the installation's vunify-exclude must be the one the recordings were made with.
function createPackagedDefaults(dir: Buffer, entries: readonly PackagedDefault[]): void {
  buildTree(dir, entries);
  for (const entry of entries) {
    if (entry.type !== 'file') continue;
    const actual = createHash('sha256').update(readFileSync(join(dir.toString(), entry.path))).digest('hex');
    if (actual !== entry.sha256) throw new Error(`packaged default ${entry.path}: sha256 ${actual}, expected ${entry.sha256}`);
  }
}

// Spec 2.6: a bash fragment of assignments in file order, with the three quoting forms installations use.
function formatVarsFile(at: (relative: string) => string, paths: VserverPaths): string {
  const lines = [
    '# util-vserver-vars of a vserver.json replay sandbox (spec 2.6); nothing here points outside the sandbox.',
    `__CONFDIR=${quote(paths.confDir.toString())}`,
    `__PKGDATADIR=${quote(at(layout.dataDir))}`,
    '__PKGLIBDEFAULTDIR="$__PKGDATADIR/defaults"',
    '__DISTRIBDIR="$__PKGDATADIR/distributions"',
    `__PKGLIBEXECDIR=${quote(at(layout.libexecDir))}`,
    `__SBINDIR=${quote(at(layout.sbinDir))}`,
    `__PKGSTATEDIR=${quote(at('var/run/vservers'))}`,
    `__DEFAULT_VSERVERDIR=${quote(`${paths.root.toString()}/vservers`)}`,
    '',
    '_VHASHIFY="$__PKGLIBEXECDIR/vhashify"',
    '_VUNIFY="$__PKGLIBEXECDIR/vunify"',
    '_VPKG="$__PKGLIBEXECDIR/vpkg"',
    '_VSERVER="$__SBINDIR/vserver"',
    '_VSERVER_INFO="$__SBINDIR/vserver-info"',
    '_SETATTR="$__SBINDIR/setattr"',
    '_LIB_FUNCTIONS="$__PKGDATADIR/functions"',
    'PACKAGE_VERSION=0.30.215',
    "PACKAGE_BUGREPORT='vserver@list.linux-vserver.org'",
  ];
  return `${lines.join('\n')}\n`;
}

// `_VHASHIFY`: the product with run-cli.ts's fixed environment, whatever the caller passes on (the wrapper adds INIT_CWD).
function formatLauncher(env: Readonly<Record<string, string>>): string {
  const fixed = createProductEnvironment(env);
  delete fixed['VHASHIFY_ARGV0'];
  return [
    '#!/bin/sh',
    '# vhashify as installed in a vserver.json replay sandbox: the product, in the fixed environment of the test runs.',
    ...Object.entries(fixed).map(([name, value]) => `export ${name}=${quote(value)}`),
    "# Through the wrapper, upstream's argv[0] was the installed path, as here.",
    'export VHASHIFY_ARGV0="$0"',
    `exec ${quote(process.execPath)} ${quote(binPath)} "$@"`,
    '',
  ].join('\n');
}

// vpkg needs a running guest; the product reads package databases itself (issue 9), so this one only complains.
const vpkgScript = `#!/bin/sh
echo "vpkg of the replay sandbox was run ($*): the product must not need vpkg for vserver.json" >&2
exit 2
`;

function writeScript(path: string, content: string): void {
  writeFileSync(path, content);
  chmodSync(path, 0o755);
}

// Single quotes keep every byte literal; the sandbox's paths never contain one, and util-vserver-vars readers need not handle '\''.
function quote(text: string): string {
  if (text.includes("'")) throw new Error(`a sandbox path contains a single quote: ${text}`);
  return `'${text}'`;
}
