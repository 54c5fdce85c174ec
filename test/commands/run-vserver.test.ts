// Issue 9 end to end on a sandbox installation (util-vserver-vars, a CONFDIR with .defaults, three
// stopped Debian guests with dpkg conffiles, a store on the guests' file system): vhashify <name>,
// `vserver <name> hashify` through our front end and through the stand-in of util-vserver's own
// wrapper, --all in one process, and the ways a guest cannot be hashified.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { binPath, repoRoot } from '../support/paths.js';
import { createSandbox, frontendPath, type Sandbox } from '../compat/util-vserver-sandbox.js';

const SHARED = 'a program every guest has, byte for byte the same\n';
const CONFFILE = 'a configuration file that dpkg tracks outside /etc\n';

interface Installation {
  sandbox: Sandbox;
  guests: Record<string, string>;
  store: string;
  env: Record<string, string>;
}

/** Writes a Debian guest: a shared program, a file of its own, dpkg conffiles (one flagged), /etc and /tmp. */
function writeDebianGuest(root: string, name: string): void {
  const file = (path: string, content: string, mode = 0o644): void => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content, { mode });
  };
  file('etc/debian_version', '12.8\n');
  file('etc/passwd', `root:x:0:0:root of ${name}:/root:/bin/bash\n`);
  file('usr/bin/tool', SHARED, 0o755);
  file('usr/lib/libshared.so.1', `${SHARED}${SHARED}`);
  file(`usr/bin/${name}-only`, `a program only ${name} has, long enough\n`, 0o755);
  file('usr/share/pkg/defaults.conf', CONFFILE);
  file('usr/share/pkg/old.conf', `${CONFFILE}(an old one)\n`);
  file('var/lib/dpkg/info/pkg.conffiles', '/usr/share/pkg/defaults.conf\nremove-on-upgrade /usr/share/pkg/old.conf\n');
  file('tmp/scratch', 'a file below /tmp, which the default list excludes\n');
}

function createInstallation(): Installation {
  const sandbox = createSandbox();
  const store = join(sandbox.root, 'vservers', '.hash');
  mkdirSync(store, { recursive: true });
  symlinkSync(store, join(sandbox.confdir, '.defaults', 'apps', 'vunify', 'hash', 'root'));
  writeFileSync(join(sandbox.confdir, '.defaults', 'apps', 'vunify', 'hash', 'protect'), 'none\n');
  writeFileSync(join(sandbox.defaultsdir, 'vunify-exclude'), readFileSync(join(repoRoot, 'compat', 'vunify-exclude')));
  const guests: Record<string, string> = {};
  for (const name of ['g1', 'g2', 'g3']) {
    const root = join(sandbox.root, 'vservers', name);
    mkdirSync(join(sandbox.confdir, name, 'apps', 'vunify'), { recursive: true });
    mkdirSync(root, { recursive: true });
    if (!existsSync(join(sandbox.confdir, name, 'vdir'))) symlinkSync(root, join(sandbox.confdir, name, 'vdir'));
    writeDebianGuest(root, name);
    guests[name] = root;
  }
  // What the installer puts at _VHASHIFY: a launcher of ours (here it runs the product directly).
  writeFileSync(sandbox.target, `#!/bin/sh\nexec '${process.execPath}' '${binPath}' "$@"\n`);
  const env = { ...sandbox.env, UTIL_VSERVER_VARS: sandbox.vars, VHASHIFY_HINTS: '0' };
  return { sandbox, guests, store, env };
}

function run(program: string, args: readonly string[], env: Record<string, string>, cwd = '/'): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(program, args, { encoding: 'utf8', env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function vhashify(inst: Installation, args: readonly string[], cwd = '/', env: Record<string, string> = {}) {
  return run(process.execPath, [binPath, ...args], { ...inst.env, ...env }, cwd);
}

function ino(path: string): number {
  return lstatSync(path).ino;
}

function storeInodes(inst: Installation): Set<number> {
  const found = new Set<number>();
  const walk = (dir: string): void => {
    for (const name of spawnSync('ls', ['-A', dir], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) {
      const path = join(dir, name);
      const st = lstatSync(path);
      if (st.isDirectory()) walk(path);
      else found.add(st.ino);
    }
  };
  walk(inst.store);
  return found;
}

test('vhashify <name> and vserver <name> hashify share identical files of stopped Debian guests, leaving conffiles and excluded paths alone', () => {
  const inst = createInstallation();
  const direct = vhashify(inst, ['-vv', 'g1']);
  assert.equal(direct.status, 0, direct.stderr);
  assert.match(direct.stdout, /^Initializing exclude-list for .*\/vservers\/g1 \(g1\)\n  Fetching configuration-file list from packagemanagement\nStarting to traverse directories\.\.\.\n/);
  const frontend = run(frontendPath, ['g2', 'hashify', '-vv'], inst.env);
  assert.equal(frontend.status, 0, frontend.stderr);
  for (const [name, out] of [['g1', direct.stdout], ['g2', frontend.stdout]] as const) {
    assert.ok(out.includes("  skipping '/usr/share/pkg/defaults.conf' (excluded)\n"), `${name}: the conffile is excluded`);
    assert.ok(out.includes("  skipping '/usr/share/pkg/old.conf' (excluded)\n"), `${name}: the flagged conffile too`);
    assert.ok(out.includes("  skipping '/etc/passwd' (excluded)\n") && out.includes("  skipping '/tmp' (excluded)\n"));
  }
  const entries = storeInodes(inst);
  for (const path of ['usr/bin/tool', 'usr/lib/libshared.so.1']) {
    assert.equal(ino(join(inst.guests['g1']!, path)), ino(join(inst.guests['g2']!, path)), `${path} is one inode in g1 and g2`);
    assert.ok(entries.has(ino(join(inst.guests['g1']!, path))), `${path} is a store entry`);
  }
  for (const path of ['usr/share/pkg/defaults.conf', 'usr/share/pkg/old.conf', 'etc/passwd', 'tmp/scratch']) {
    assert.equal(lstatSync(join(inst.guests['g1']!, path)).nlink, 1, `${path} stays private`);
  }
  assert.ok(entries.has(ino(join(inst.guests['g1']!, 'usr/bin/g1-only'))), 'a file only g1 has still becomes an entry');
});

test("util-vserver's own wrapper (its stand-in) runs us with the name last, the cwd / and INIT_CWD, and ./name works from the user's directory", () => {
  const inst = createInstallation();
  const viaWrapper = run(inst.sandbox.vserver, ['./g1', 'hashify', '-vv'], inst.env, inst.sandbox.confdir);
  assert.equal(viaWrapper.status, 0, viaWrapper.stderr);
  assert.match(viaWrapper.stdout, /^Initializing exclude-list for .*\/vservers\/g1 \(\.\/g1\)\n/);
  assert.ok(viaWrapper.stdout.includes("unifying   '/usr/bin/tool'\n"));
  // The argv form the wrapper sends, typed by hand: options, then the name; cwd / and INIT_CWD.
  const handMade = vhashify(inst, ['-vvv', './g1'], '/', { INIT_CWD: inst.sandbox.confdir });
  assert.equal(handMade.status, 0, handMade.stderr);
  assert.ok(handMade.stdout.includes("  skipping '/usr/bin/tool' (already unified)\n"));
});

test('per-guest exclude list and hash dir win over .defaults, and pkgmgmt-ignore turns the package list off', () => {
  const inst = createInstallation();
  const g3 = join(inst.sandbox.confdir, 'g3', 'apps', 'vunify');
  writeFileSync(join(g3, 'exclude'), '/usr/bin/tool\n/tmp\n');
  const ownStore = join(inst.sandbox.root, 'vservers', '.hash-g3');
  mkdirSync(ownStore);
  mkdirSync(join(g3, 'hash'));
  symlinkSync(ownStore, join(g3, 'hash', 'root'));
  writeFileSync(join(g3, 'hash', 'protect'), 'none\n');
  writeFileSync(join(g3, 'pkgmgmt-ignore'), '');
  const result = vhashify(inst, ['-vvvv', 'g3']);
  assert.equal(result.status, 0, result.stderr);
  assert.ok(!result.stdout.includes('Fetching configuration-file list'), 'pkgmgmt-ignore: no package list');
  assert.ok(result.stdout.includes("  skipping '/usr/bin/tool' (excluded)\n"), 'the guest list, not the packaged default');
  assert.ok(result.stdout.includes("  skipping '/etc' (excluded)\n") === false, 'the packaged default is not merged in');
  assert.match(result.stdout, new RegExp(`unifying   '/usr/share/pkg/defaults.conf' \\(to '${g3}/hash/root/`), 'the conffile is hashified into the guest\'s own store');
  assert.equal(readFileSync(join(g3, 'hash', 'method'), 'utf8'), 'sha256\n');
  assert.ok(!existsSync(join(inst.sandbox.confdir, '.defaults', 'apps', 'vunify', 'hash', 'method')), 'the .defaults hash dir is not used');
});

test('--all hashifies every guest that has apps/vunify in one process, silently when all goes well', () => {
  const inst = createInstallation();
  mkdirSync(join(inst.sandbox.confdir, 'g4'));
  symlinkSync(inst.guests['g1']!, join(inst.sandbox.confdir, 'g4', 'vdir')); // no apps/vunify: left out
  const log = join(inst.sandbox.root, 'exec.log');
  const result = run('strace', ['-f', '-qq', '-o', log, '-e', 'trace=execve,fork,vfork', process.execPath, binPath, '--all'], inst.env);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr, '');
  const calls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  assert.equal(calls.filter((l) => /execve\(/.test(l)).length, 1, `one program started, no other: ${calls.join(' / ')}`);
  assert.equal(calls.filter((l) => /v?fork\(/.test(l)).length, 0);
  for (const path of ['usr/bin/tool', 'usr/lib/libshared.so.1']) {
    const inodes = new Set(['g1', 'g2', 'g3'].map((g) => ino(join(inst.guests[g]!, path))));
    assert.equal(inodes.size, 1, `${path} is one inode in all three guests`);
  }
  const verbose = vhashify(inst, ['--all', '-v']);
  assert.equal(verbose.status, 0, verbose.stderr);
  for (const g of ['g1', 'g2', 'g3']) assert.ok(verbose.stdout.includes(`vhashify: guest '${g}' done:`), g);
  assert.ok(!verbose.stdout.includes("'g4'"));
});

test('an unknown guest: our front end and the wrapper exit 5 with upstream\'s text; vhashify itself says it cannot initialize', () => {
  const inst = createInstallation();
  const expected = `Can not find a vserver-setup at '${inst.sandbox.confdir}/nosuch/'.\n\nPossible solutions:\n`;
  for (const program of [frontendPath, inst.sandbox.vserver]) {
    const result = run(program, ['nosuch', 'hashify'], inst.env);
    assert.equal(result.status, 5, program);
    assert.ok(result.stderr.startsWith(expected), `${program}: ${result.stderr}`);
  }
  const direct = vhashify(inst, ['nosuch']);
  assert.equal(direct.status, 1);
  assert.equal(direct.stderr, 'Failed to initialize unification for vserver\n');
});

test('a guest without apps/vunify: upstream\'s message and our line with the mkdir that fixes it, exit 1, nothing touched', () => {
  const inst = createInstallation();
  spawnSync('rmdir', [join(inst.sandbox.confdir, 'g2', 'apps', 'vunify')]);
  const result = vhashify(inst, ['-vv', 'g2']);
  assert.equal(result.status, 1);
  assert.equal(result.stdout, '');
  const appdir = join(inst.sandbox.confdir, 'g2', 'apps', 'vunify');
  assert.equal(result.stderr, `Failed to initialize unification for vserver\nvhashify: '${appdir}' does not exist: hashify works only on guests that have it; create it with: mkdir -p ${appdir}\n`);
  assert.ok(!existsSync(join(inst.sandbox.confdir, '.defaults', 'apps', 'vunify', 'hash', 'method')));
});

test('a missing packaged default exclude list is refused in a real run, naming it; a dry run keeps upstream\'s silence', () => {
  const inst = createInstallation();
  spawnSync('rm', [join(inst.sandbox.defaultsdir, 'vunify-exclude')]);
  const real = vhashify(inst, ['g1']);
  assert.equal(real.status, 1);
  assert.ok(real.stderr.startsWith(`vhashify: exclude list '${join(inst.sandbox.defaultsdir, 'vunify-exclude')}' cannot be read (No such file or directory); nothing was changed.\n`), real.stderr);
  assert.ok(!existsSync(join(inst.sandbox.confdir, '.defaults', 'apps', 'vunify', 'hash', 'method')), 'nothing was touched');
  assert.equal(lstatSync(join(inst.guests['g1']!, 'etc', 'passwd')).nlink, 1);
  const dry = vhashify(inst, ['-n', 'g1']);
  assert.equal(dry.status, 0);
  assert.equal(dry.stderr, '');
});
