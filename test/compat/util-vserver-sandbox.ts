// A util-vserver installation in a temporary directory, for the compat/ scripts: util-vserver-vars
// with sandbox paths, a dummy original vhashify, the stand-in `vserver` script, packaged
// distributions with initpost scripts and aliases, and a configuration directory with guests.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync,
  rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after } from 'node:test';
import { repoRoot, vserverStandInPath } from '../support/paths.js';

/** The stand-in for util-vserver's `vserver` script (spec 9.1). */
export const standInPath = vserverStandInPath;
/** Stub programs: dpkg, dpkg-divert, logger, record-argv, node-18, node-broken, node-recording. */
export const stubsDir = join(repoRoot, 'test', 'compat', 'stubs');
export const installerPath = join(repoRoot, 'compat', 'vhashify-install');
export const frontendPath = join(repoRoot, 'compat', 'vserver');

/** The literal default of UTIL_VSERVER_VARS in util-vserver's scripts. */
const defaultVarsPath = '/usr/lib/util-vserver/util-vserver-vars';

/** The bytes of the program that the install keeps aside and --uninstall must put back. */
export const originalVhashify = Buffer.from('#!/bin/sh\n# the original vhashify of this sandbox\necho "original vhashify $*"\nexit 0\n');

export interface Sandbox {
  /** The temporary directory everything is in. */
  root: string;
  /** util-vserver-vars of the installation (sandbox paths). */
  vars: string;
  /** The same, but with _VHASHIFY set to the stub that records how it was run. */
  recordingVars: string;
  confdir: string;
  distribdir: string;
  defaultsdir: string;
  /** _VHASHIFY: the dummy original, later the launcher. */
  target: string;
  /** The stand-in `vserver`, its default util-vserver-vars rewritten to `vars` as an install would. */
  vserver: string;
  /** DESTDIR for the installer. */
  destdir: string;
  /** Where the stubs write their records. */
  record: string;
  /** Environment for running scripts: PATH, TMPDIR and the product's cache inside the sandbox. */
  env: Record<string, string>;
}

const sandboxes: string[] = [];
after(() => {
  for (const dir of sandboxes) rmSync(dir, { recursive: true, force: true });
});

function writeExecutable(path: string, text: string | Buffer): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

/** Writes util-vserver-vars the way installations write it: quoted literals and "$NAME" references. */
function writeVars(path: string, root: string, vhashify: string): void {
  writeFileSync(path, [
    '# util-vserver-vars of a sandbox installation',
    `__CONFDIR='${root}/etc/vservers'`,
    `__PKGLIBEXECDIR='${root}/usr/lib/util-vserver'`,
    `__PKGDATADIR='${root}/usr/share/util-vserver'`,
    `__SBINDIR='${root}/usr/sbin'`,
    `__DEFAULT_VSERVERDIR='${root}/vservers'`,
    '__DISTRIBDIR="$__PKGDATADIR/distributions"',
    '__PKGLIBDEFAULTDIR="$__PKGDATADIR/defaults"',
    `_VHASHIFY=${vhashify}`,
    '_VSERVER="$__SBINDIR/vserver"',
    '_LIB_FUNCTIONS="$__PKGDATADIR/functions"',
    '',
  ].join('\n'));
}

/** Copies a script whose default util-vserver-vars literal is rewritten to `vars`. */
export function copyWithVarsLiteral(source: string, destination: string, vars: string): void {
  const text = readFileSync(source, 'utf8');
  if (!text.includes(defaultVarsPath)) throw new Error(`${source} lacks ${defaultVarsPath}`);
  writeExecutable(destination, text.split(defaultVarsPath).join(vars));
}

/** Creates a sandbox installation with guests g1 (apps/vunify) and g2 (none). */
export function createSandbox(): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'vhashify-compat-'));
  sandboxes.push(root);
  const libexec = join(root, 'usr', 'lib', 'util-vserver');
  const datadir = join(root, 'usr', 'share', 'util-vserver');
  const distribdir = join(datadir, 'distributions');
  const confdir = join(root, 'etc', 'vservers');
  for (const dir of [libexec, join(root, 'usr', 'sbin'), join(datadir, 'defaults'), join(root, 'tmp'), join(root, 'cache'),
    join(confdir, '.defaults', 'apps', 'vunify', 'hash'), join(confdir, 'g1', 'apps', 'vunify'), join(confdir, 'g2', 'apps'),
    join(root, 'vservers', 'g1'), join(root, 'vservers', 'g2')]) {
    mkdirSync(dir, { recursive: true });
  }
  symlinkSync(join(root, 'vservers', 'g1'), join(confdir, 'g1', 'vdir'));
  symlinkSync(join(root, 'vservers', 'g2'), join(confdir, 'g2', 'vdir'));

  // Packaged distributions as util-vserver installs them: scripts in debian/ and redhat/, the
  // Debian releases as symlinks to debian, the Red Hat ones as directories with symlinked scripts,
  // one without any initpost, and the `defaults` directory that is no distribution.
  const packagedInitpost = (name: string): string => [
    '#!/bin/bash',
    `echo "packaged ${name} initpost" "$@" >> '${root}/packaged-initpost.log'`,
    `exit "$(cat '${root}/packaged-initpost.exit' 2>/dev/null || echo 0)"`,
    '',
  ].join('\n');
  for (const name of ['debian', 'redhat', 'f9', 'plain', 'defaults']) mkdirSync(join(distribdir, name), { recursive: true });
  writeExecutable(join(distribdir, 'debian', 'initpost'), packagedInitpost('debian'));
  writeExecutable(join(distribdir, 'redhat', 'initpost'), packagedInitpost('redhat'));
  symlinkSync('../redhat/initpost', join(distribdir, 'f9', 'initpost'));
  symlinkSync('debian', join(distribdir, 'etch'));
  writeFileSync(join(distribdir, 'defaults', 'devs'), 'c null 1 3 666\n');

  const vars = join(libexec, 'util-vserver-vars');
  writeVars(vars, root, '"$__PKGLIBEXECDIR/vhashify"');
  const recordingVars = join(root, 'recording-util-vserver-vars');
  writeVars(recordingVars, root, `'${join(stubsDir, 'record-argv')}'`);
  const target = join(libexec, 'vhashify');
  writeExecutable(target, originalVhashify);
  const vserver = join(root, 'usr', 'sbin', 'vserver');
  copyWithVarsLiteral(standInPath, vserver, vars);

  const destdir = join(root, 'destdir');
  mkdirSync(join(destdir, 'etc', 'cron.d'), { recursive: true });
  return {
    root, vars, recordingVars, confdir, distribdir, defaultsdir: join(datadir, 'defaults'), target, vserver, destdir,
    record: join(root, 'record'),
    env: {
      PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      TMPDIR: join(root, 'tmp'),
      VHASHIFY_CACHE_DIR: join(root, 'cache'),
      LC_ALL: 'C',
      STUB_RECORD: join(root, 'record'),
    },
  };
}

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program with exactly `env` (nothing inherited), stdin /dev/null. */
export function runProgram(path: string, args: readonly string[], env: Record<string, string>, cwd = '/'): ScriptRun {
  const result = spawnSync(path, args, { encoding: 'utf8', env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs compat/vhashify-install for the sandbox: its util-vserver-vars, DESTDIR, node on PATH. */
export function runInstaller(sandbox: Sandbox, args: readonly string[] = [], env: Record<string, string> = {}): ScriptRun {
  return runProgram(installerPath, ['--vars', sandbox.vars, ...args], { ...sandbox.env, DESTDIR: sandbox.destdir, ...env });
}

/** One recorded run of the record-argv stub. */
export interface RecordedRun {
  argv0: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/** The runs the record-argv stub recorded, oldest first (none when it never ran). */
export function readRecordedRuns(file: string): RecordedRun[] {
  if (!existsSync(file)) return [];
  const runs: RecordedRun[] = [];
  let current: RecordedRun = { argv0: '', args: [], cwd: '', env: {} };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    if (line === 'end') {
      runs.push(current);
      current = { argv0: '', args: [], cwd: '', env: {} };
      continue;
    }
    const at = line.indexOf('=');
    const key = line.slice(0, at);
    const value = line.slice(at + 1);
    if (key === 'argv0') current.argv0 = value;
    else if (key === 'arg') current.args.push(value);
    else if (key === 'cwd') current.cwd = value;
    else current.env[key] = value;
  }
  return runs;
}

/**
 * One line per path below `dir`, sorted: type, mode, size, modification time, inode, and the
 * content's digest or a symlink's target. Two equal listings mean nothing was written there.
 * Without `directoryTimes`, directories are listed without their modification time (a file
 * created and removed again changes it).
 */
export function listTree(dir: string, skip: readonly string[] = [], directoryTimes = true): string[] {
  const lines: string[] = [];
  const visit = (path: string): void => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      const rel = relative(dir, full);
      if (skip.includes(rel)) continue;
      const st = lstatSync(full);
      let detail = '';
      if (st.isSymbolicLink()) detail = `-> ${readlinkSync(full)}`;
      else if (st.isFile()) detail = createHash('sha256').update(readFileSync(full)).digest('hex');
      const time = st.isDirectory() && !directoryTimes ? '-' : String(st.mtimeMs);
      const size = st.isDirectory() ? '-' : String(st.size);
      lines.push(`${rel} ${st.mode.toString(8)} ${size} ${time} ${st.ino} ${detail}`);
      if (st.isDirectory()) visit(full);
    }
  };
  visit(dir);
  return lines;
}

/** A directory of symlinks to the given stubs (under the names given), to put in front of PATH. */
export function createStubPath(sandbox: Sandbox, name: string, stubs: Record<string, string>): string {
  const dir = join(sandbox.root, name);
  mkdirSync(dir, { recursive: true });
  for (const [as, stub] of Object.entries(stubs)) symlinkSync(join(stubsDir, stub), join(dir, as));
  return dir;
}

/** Copies a file keeping its mode, for tests that need a second copy of a script. */
export function copyExecutable(source: string, destination: string): void {
  copyFileSync(source, destination);
  chmodSync(destination, lstatSync(source).mode & 0o7777);
}
