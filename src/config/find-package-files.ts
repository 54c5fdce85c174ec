// The files an installed package put into a guest, for `--package`: the guest's dpkg file lists
// (`var/lib/dpkg/info/NAME.list`, or `NAME:ARCH.list`) read without running anything in it, or
// `rpm -ql` of the host's rpm on a copy of the guest's database (as read-rpm-conffiles.ts does).
import { tmpdir } from 'node:os';
import { quoteShellWord } from '../report/shell-quote.js';
import { concatBytes } from '../store/byte-text.js';
import { DEFAULT_CONFFILE_LIMITS, type ConffileLimits } from './conffile-limits.js';
import { findPkgmgmtStyle } from './find-pkgmgmt-style.js';
import { GuestAccessError, type GuestDir, type OpenGuestRoot } from './guest-files.js';
import { openSysGuestRoot } from './sys-guest-files.js';
import { createRpmRunner, queryRpmDatabase, RpmConffilesError, type RunRpm } from './read-rpm-conffiles.js';
import type { Guest } from './resolve-guest.js';

/** How findPackageFiles reaches the guest and the host's rpm (tests replace them). */
export interface PackageFilesOptions {
  openRoot?: OpenGuestRoot;
  runRpm?: RunRpm;
  tempDir?: string;
  limits?: ConffileLimits;
}

/** The paths the packages list (directories among them), in list order; or the lines saying why not. */
export type PackageFiles = { ok: true; paths: Buffer[] } | { ok: false; message: Buffer; hint?: Buffer };

const INFO_DIR = 'var/lib/dpkg/info';
const RPM_STYLES = new Set(['redhat', 'mandrake', 'pld']);
// Debian policy's package names (plus an architecture qualifier); rpm names never start with `-`.
const DEBIAN_NAME = /^[a-z0-9][a-z0-9+.-]*(:[a-z0-9-]+)?$/;
const RPM_NAME = /^[^-\s/][^\s/]*$/;

/** Every path the named packages own in the guest, from its own package database. */
export async function findPackageFiles(guest: Pick<Guest, 'name' | 'cfgdir' | 'vdir' | 'appdir'>, names: readonly Buffer[], opts: PackageFilesOptions = {}): Promise<PackageFiles> {
  const openRoot = opts.openRoot ?? openSysGuestRoot;
  const limits = opts.limits ?? DEFAULT_CONFFILE_LIMITS;
  const found = findPkgmgmtStyle(guest, openRoot);
  if ('error' in found) return { ok: false, message: concatBytes("vhashify: cannot tell the package manager of guest '", guest.name, "': ", found.error) };
  const style = found.style.toString('latin1');
  const fail = (what: string | Buffer): PackageFiles => ({ ok: false, message: concatBytes("vhashify: guest '", guest.name, "': ", what, '\n') });
  try {
    if (style === 'debian') {
      const bad = names.find((name) => !DEBIAN_NAME.test(name.toString('latin1')));
      if (bad !== undefined) return fail(concatBytes("'", bad, "' is not a Debian package name"));
      return { ok: true, paths: readDpkgLists(guest.vdir, names, openRoot, limits) };
    }
    if (RPM_STYLES.has(style)) {
      const bad = names.find((name) => !RPM_NAME.test(name.toString('latin1')));
      if (bad !== undefined) return fail(concatBytes("'", bad, "' is not an rpm package name"));
      const place = found.external && found.pkgmgmtDir !== undefined ? { kind: 'external' as const, pkgmgmtDir: found.pkgmgmtDir } : { kind: 'guest' as const, vdir: guest.vdir };
      const { run, from } = await queryRpmDatabase(place, ['-ql', ...names.map((n) => n.toString('latin1'))], {
        openRoot, runRpm: opts.runRpm ?? createRpmRunner(), tempDir: opts.tempDir ?? tmpdir(), limits,
      });
      if (run.exitCode !== 0) {
        // rpm says `package NAME is not installed` on stdout.
        const said = Buffer.concat([run.stdout, run.stderr]).toString().split('\n').filter((line) => line !== '' && !line.startsWith('/'));
        return fail(`rpm -ql on the database of ${from.toString()} failed: ${said.join('; ') || `exit status ${run.exitCode}`}`);
      }
      return { ok: true, paths: splitPathLines(run.stdout) };
    }
  } catch (error) {
    if (error instanceof RpmConffilesError && error.reason === 'no-rpm') {
      return fail("it uses rpm, but this host has no 'rpm' program to read its package database with (apt-get install rpm)");
    }
    if (error instanceof RpmConffilesError || error instanceof GuestAccessError) return fail(error.message);
    throw error;
  }
  return fail(concatBytes("its package management style '", found.style, "' has no file lists vhashify can read; use --path"));
}

// `NAME.list`, else the one `NAME:ARCH.list` (multiarch); a package not installed is an error.
function readDpkgLists(vdir: Buffer, names: readonly Buffer[], openRoot: OpenGuestRoot, limits: ConffileLimits): Buffer[] {
  const root = openRoot(vdir);
  let info: GuestDir;
  try {
    info = root.openDir(INFO_DIR);
  } catch (error) {
    root.close();
    if (error instanceof GuestAccessError && error.code === 'missing') throw new GuestAccessError('missing', concatBytes(vdir, '/', INFO_DIR), 'no dpkg database');
    throw error;
  }
  try {
    const paths: Buffer[] = [];
    let listing: Buffer[] | undefined;
    for (const name of names) {
      let lists = [concatBytes(name, '.list')];
      if (info.lookup(lists[0]!) !== 'file' && !name.includes(0x3a)) {
        listing ??= info.listNames(limits.maxNames);
        const prefix = concatBytes(name, ':');
        lists = listing.filter((n) => n.subarray(0, prefix.length).equals(prefix) && n.subarray(-5).equals(Buffer.from('.list'))).sort(Buffer.compare);
      }
      const present = lists.filter((list) => info.lookup(list) === 'file');
      if (present.length === 0) {
        throw new GuestAccessError('missing', concatBytes(info.path, '/', name, '.list'), `package '${name.toString()}' is not installed (no file list)`);
      }
      for (const list of present) paths.push(...splitPathLines(info.readFile(list, limits.maxTotalBytes)));
    }
    return paths;
  } finally {
    info.close();
    root.close();
  }
}

/** The lines of a file list that are absolute paths, as bytes. */
export function splitPathLines(data: Buffer): Buffer[] {
  const paths: Buffer[] = [];
  for (let start = 0; start < data.length;) {
    let end = data.indexOf(0x0a, start);
    if (end < 0) end = data.length;
    if (data[start] === 0x2f) paths.push(Buffer.from(data.subarray(start, end)));
    start = end + 1;
  }
  return paths;
}

/** The hint after a failure: the same guest, narrowed by path instead. */
export function formatPackageHint(guest: Pick<Guest, 'name'>): Buffer {
  return concatBytes('Name the files with --path instead, e.g. vhashify --unhashify --path /usr/lib ', quoteShellWord(guest.name), '\n');
}
