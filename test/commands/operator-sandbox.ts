// A configured util-vserver installation for the --explain and --check tests: the packaged default
// exclude list, util-vserver's recommended store layout (.defaults/apps/vunify/hash/root ->
// <vservers>/.hash) with a `protect` file, and hashifiable guests; runs the product in this process.
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/report/output.js';
import { createSandboxInstallation, type SandboxInstallation } from '../config/sandbox-installation.js';
import { repoRoot } from '../support/paths.js';
import { writeFileWithMeta, type FileMeta } from '../unify/file-fixture.js';

/** What a run printed and its exit status. */
export interface OperatorRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The sandbox and its fixed places. */
export interface OperatorSandbox extends SandboxInstallation {
  /** `.defaults/apps/vunify/hash`: the configuration files and the storage root `root`. */
  hashDir: string;
  /** `<vservers>/.hash`: what `root` leads to. */
  store: string;
  /** The packaged default exclude list (a copy of compat/vunify-exclude). */
  packagedList: string;
  /** The fast path's cache directory of every run. */
  cache: string;
  /** A guest with apps/vunify and pkgmgmt-ignore (unless `packages`), and these files (16 bytes or more for hashing). */
  addConfiguredGuest(name: string, files?: Record<string, string>, opts?: { packages?: boolean; appdir?: boolean }): { cfgdir: string; root: string };
  /** Runs `vhashify ARGV…` in this process (cwd: the sandbox's top) and collects its output. */
  run(argv: readonly string[], env?: Record<string, string>): Promise<OperatorRun>;
}

/** Fixed attributes, so that identical contents in two guests get one digest. */
export const GUEST_FILE_META: FileMeta = { uid: 0, gid: 0, mode: 0o644, mtime: new Date(1_500_000_000_000) };

/** Creates the sandbox (remove it with `remove()`). The policy file says `immutable`. */
export function createOperatorSandbox(prefix = 'vhashify-operator-'): OperatorSandbox {
  const sandbox = createSandboxInstallation(prefix);
  const hashDir = sandbox.mkdir('etc/vservers/.defaults/apps/vunify/hash');
  const store = sandbox.mkdir('vservers/.hash');
  symlinkSync(store, join(hashDir, 'root'));
  writeFileSync(join(hashDir, 'protect'), 'immutable\n');
  const packagedList = join(sandbox.defaultsDir, 'vunify-exclude');
  copyFileSync(join(repoRoot, 'compat', 'vunify-exclude'), packagedList);
  const cache = join(sandbox.top, 'cache');
  return {
    ...sandbox,
    hashDir,
    store,
    packagedList,
    cache,
    addConfiguredGuest(name, files = {}, opts = {}) {
      const guest = sandbox.addGuest(name, { appdir: opts.appdir !== false });
      if (opts.packages !== true && opts.appdir !== false) writeFileSync(join(guest.cfgdir, 'apps', 'vunify', 'pkgmgmt-ignore'), '');
      for (const [path, content] of Object.entries(files)) {
        const file = join(guest.root, path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileWithMeta(file, content, GUEST_FILE_META);
      }
      return guest;
    },
    async run(argv, env = {}) {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      const out: Output = {
        out: (text) => stdout.push(Buffer.from(text)),
        err: (text) => stderr.push(Buffer.from(text)),
        flush: () => undefined,
      };
      const code = await main([...argv], {
        argv0: 'vhashify',
        cwd: sandbox.top,
        env: { UTIL_VSERVER_VARS: sandbox.varsFile, VHASHIFY_CACHE_DIR: cache, VHASHIFY_HINTS: '0', ...env },
        out,
      });
      return { code, stdout: Buffer.concat(stdout).toString('latin1'), stderr: Buffer.concat(stderr).toString('latin1') };
    },
  };
}
