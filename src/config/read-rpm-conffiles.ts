// An rpm guest's configuration files: its rpm database is copied out of the guest tree and read
// by the HOST's rpm (`rpm --dbpath <copy> -qac`). Nothing of the guest is ever executed, and the
// guest's database is never opened for writing (IMPROVEMENT over QUIRK Q14: works on stopped guests).
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ExcludeRule } from '../exclude/exclude-rule.js';
import { parseConffileList } from '../exclude/parse-exclude-list.js';
import type { ConffileLimits } from './conffile-limits.js';
import { GuestAccessError, type GuestDir, type OpenGuestRoot } from './guest-files.js';

/** What running rpm gave: its exit status (undefined: it could not be started) and output. */
export interface RpmRun {
  exitCode: number | undefined;
  /** Set when rpm could not be started: `ENOENT` means it is not installed. */
  spawnError?: string;
  stdout: Buffer;
  stderr: Buffer;
}

/** Runs the host's rpm with these arguments. */
export type RunRpm = (args: readonly string[]) => Promise<RpmRun>;

/** Why the conffiles of an rpm guest could not be listed. */
export class RpmConffilesError extends Error {
  constructor(
    readonly reason: 'no-rpm' | 'no-database' | 'rpm-failed',
    message: string,
  ) {
    super(message);
  }
}

/** Where an rpm database may be: below the guest root, or in the admin's pkgmgmt dir (external). */
export type RpmDatabasePlace = { kind: 'guest'; vdir: Buffer } | { kind: 'external'; pkgmgmtDir: Buffer };

// Newer distributions keep the database in /usr/lib/sysimage/rpm (and make /var/lib/rpm a
// symlink to it, which we would not follow anyway); older ones in /var/lib/rpm.
const GUEST_DB_DIRS = ['usr/lib/sysimage/rpm', 'var/lib/rpm'];
// vpkg's external package management (util-vserver's `_pkgSetVarsRPM`): the database lives in
// the guest's configuration, `apps/pkgmgmt/rpmstate` or `apps/pkgmgmt/base/rpm/state`.
const EXTERNAL_DB_DIRS = ['rpmstate', 'base/rpm/state'];
// A directory is a database when it holds one of these: sqlite, Berkeley DB, ndb.
const DB_FILES = ['rpmdb.sqlite', 'Packages', 'Packages.db'];

/** Runs `rpm` (or `command`) through execa, in the C locale, capturing bytes. */
export function createRpmRunner(command = 'rpm'): RunRpm {
  return async (args) => {
    // Loaded on first use: execa is heavy, and most runs never need rpm.
    const { execa } = await import('execa');
    const result = await execa(command, [...args], {
      encoding: 'buffer',
      reject: false,
      stdin: 'ignore',
      stripFinalNewline: false,
      env: { LC_ALL: 'C', LANG: 'C' },
    });
    const run: RpmRun = {
      exitCode: result.exitCode,
      stdout: Buffer.from(result.stdout ?? new Uint8Array()),
      stderr: Buffer.from(result.stderr ?? new Uint8Array()),
    };
    if (result.exitCode === undefined) run.spawnError = result.code ?? 'the program could not be started';
    return run;
  };
}

/** Options of readRpmConffiles. */
export interface RpmConffilesOptions {
  openRoot: OpenGuestRoot;
  runRpm: RunRpm;
  /** The host directory the temporary copy of the database is made in. */
  tempDir: string;
  limits: ConffileLimits;
}

/**
 * `rpm -qac` on a copy of the guest's database, keeping the lines that start with `/` (vpkg's
 * filter: rpm prints `(contains no files)` for some packages), parsed as spec 3.2 says.
 */
export async function readRpmConffiles(place: RpmDatabasePlace, opts: RpmConffilesOptions): Promise<ExcludeRule[]> {
  const { run, from } = await queryRpmDatabase(place, ['-qac'], opts);
  if (run.exitCode !== 0) {
    const said = run.stderr.toString().trim().split('\n').pop() ?? '';
    throw new RpmConffilesError('rpm-failed', `rpm could not read the database copied from ${from.toString()} (exit status ${run.exitCode}${said === '' ? '' : `: ${said}`})`);
  }
  return parseConffileList(keepPathLines(run.stdout), `rpm -qac (database of ${from.toString()})`);
}

/**
 * Runs the host's rpm with `--dbpath <copy>` and `args` on a copy of the guest's database (removed
 * again afterwards); returns what rpm gave, whatever its exit status, and where the database was.
 * Throws an RpmConffilesError when there is no database or rpm cannot be started.
 */
export async function queryRpmDatabase(place: RpmDatabasePlace, args: readonly string[], opts: RpmConffilesOptions): Promise<{ run: RpmRun; from: Buffer }> {
  const copy = mkdtempSync(join(opts.tempDir, 'vhashify-rpmdb-'));
  try {
    const from = copyRpmDatabase(place, copy, opts);
    const run = await opts.runRpm(['--dbpath', copy, ...args]);
    if (run.spawnError !== undefined) {
      const missing = run.spawnError === 'ENOENT';
      throw new RpmConffilesError(missing ? 'no-rpm' : 'rpm-failed', missing ? 'this host has no rpm program' : `rpm could not be started (${run.spawnError})`);
    }
    return { run, from };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** The lines of `output` that start with `/` (vpkg pipes rpm through `sed '\!^/!p;d'`). */
export function keepPathLines(output: Buffer): Buffer {
  const kept: Buffer[] = [];
  for (let start = 0; start < output.length; ) {
    const newline = output.indexOf(0x0a, start);
    const end = newline < 0 ? output.length : newline + 1;
    if (output[start] === 0x2f) kept.push(output.subarray(start, end));
    start = end;
  }
  return Buffer.concat(kept);
}

// Copies the database files (regular files only) into `dest`; returns the directory they came from.
function copyRpmDatabase(place: RpmDatabasePlace, dest: string, opts: RpmConffilesOptions): Buffer {
  const [base, candidates] = place.kind === 'guest' ? [place.vdir, GUEST_DB_DIRS] : [place.pkgmgmtDir, EXTERNAL_DB_DIRS];
  const root = opts.openRoot(base);
  try {
    for (const candidate of candidates) {
      let dir: GuestDir;
      try {
        dir = root.openDir(candidate);
      } catch (error) {
        // Missing, or a symlink (Fedora's /var/lib/rpm → the sysimage one, already tried).
        if (error instanceof GuestAccessError && (error.code === 'missing' || error.code === 'symlink')) continue;
        throw error;
      }
      try {
        if (!DB_FILES.some((name) => dir.lookup(name) === 'file')) continue;
        copyDatabaseFiles(dir, dest, opts.limits);
        return dir.path;
      } finally {
        dir.close();
      }
    }
  } finally {
    root.close();
  }
  const tried = candidates.map((c) => `${base.toString()}/${c}`).join(' or ');
  throw new RpmConffilesError('no-database', `no rpm database at ${tried}`);
}

function copyDatabaseFiles(dir: GuestDir, dest: string, limits: ConffileLimits): void {
  let total = 0;
  for (const name of dir.listNames(limits.maxNames)) {
    const text = name.toString('latin1');
    // rpm's own files have printable ASCII names; nothing else would be read by it.
    if (!/^[\x21-\x7e]+$/.test(text)) continue;
    // Berkeley DB environment files and sqlite's shared-memory index are per-host caches that
    // rpm rebuilds; copying a running guest's would only risk stale locks.
    if (text.startsWith('__db.') || text.endsWith('-shm') || text.endsWith('.lock')) continue;
    const kind = dir.lookup(name);
    if (kind === 'directory' || kind === undefined) continue;
    // A symlink or special file here is no database file; refuse rather than read a partial copy.
    total += dir.copyFile(name, join(dest, text), limits.maxRpmDbBytes - total);
  }
}
