// A util-vserver installation inside a temporary directory, for the config stage's tests.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findInstallation, type Installation } from '../../src/config/installation.js';

/** A sandbox: its top directory, the installation read from its util-vserver-vars, and helpers. */
export interface SandboxInstallation {
  top: string;
  confDir: string;
  vserverDir: string;
  defaultsDir: string;
  varsFile: string;
  inst: Installation;
  /** Writes a file below the sandbox (parents created). */
  write(relative: string, content?: string | Buffer): string;
  /** Creates a directory below the sandbox (parents created). */
  mkdir(relative: string): string;
  /** A guest `name`: root `vservers/<name>`, `<confdir>/<name>/vdir` → it, and `apps/vunify` unless told not to. */
  addGuest(name: string, opts?: { appdir?: boolean }): { cfgdir: string; root: string };
  remove(): void;
}

/** Creates the sandbox: util-vserver-vars naming directories below `top`, CONFDIR with `.defaults`. */
export function createSandboxInstallation(prefix = 'vhashify-config-'): SandboxInstallation {
  const top = mkdtempSync(join(tmpdir(), prefix));
  const confDir = join(top, 'etc/vservers');
  const vserverDir = join(top, 'vservers');
  const varsFile = join(top, 'usr/lib/util-vserver/util-vserver-vars');
  const write = (relative: string, content: string | Buffer = ''): string => {
    const path = join(top, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    return path;
  };
  const mkdir = (relative: string): string => {
    const path = join(top, relative);
    mkdirSync(path, { recursive: true });
    return path;
  };
  write(
    'usr/lib/util-vserver/util-vserver-vars',
    [
      '# sandbox installation',
      `__CONFDIR='${confDir}'`,
      `__PKGLIBEXECDIR='${top}/usr/lib/util-vserver'`,
      `__PKGDATADIR='${top}/usr/share/util-vserver'`,
      `__SBINDIR='${top}/usr/sbin'`,
      `__PKGSTATEDIR="${top}/var/run/vservers"`,
      '__DISTRIBDIR="$__PKGDATADIR/distributions"',
      '__PKGLIBDEFAULTDIR="$__PKGDATADIR/defaults"',
      `__DEFAULT_VSERVERDIR='${vserverDir}'`,
      '_SETATTR="$__SBINDIR/setattr"',
      '_VHASHIFY="$__PKGLIBEXECDIR/vhashify"',
      '_VPKG="$__PKGLIBEXECDIR/vpkg"',
      '',
    ].join('\n'),
  );
  mkdir('etc/vservers/.defaults/apps/vunify');
  mkdir('vservers');
  const defaultsDir = mkdir('usr/share/util-vserver/defaults');
  const found = findInstallation({ UTIL_VSERVER_VARS: varsFile });
  if ('error' in found) throw new Error(found.error);
  return {
    top,
    confDir,
    vserverDir,
    defaultsDir,
    varsFile,
    inst: found,
    write,
    mkdir,
    addGuest(name, opts = {}) {
      const root = mkdir(`vservers/${name}`);
      const cfgdir = mkdir(`etc/vservers/${name}`);
      symlinkSync(root, join(cfgdir, 'vdir'));
      if (opts.appdir !== false) mkdir(`etc/vservers/${name}/apps/vunify`);
      return { cfgdir, root };
    },
    remove() {
      rmSync(top, { recursive: true, force: true });
    },
  };
}
