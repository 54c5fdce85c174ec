// compat/vhashify-install against a sandbox util-vserver: the launcher at $_VHASHIFY that the
// `vserver` script then runs, the original kept aside (plain backup or dpkg-divert) and restored
// byte for byte, idempotence, refusals that change nothing, man pages and the default exclude list.
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../support/paths.js';
import {
  createSandbox, createStubPath, installerPath, listTree, originalVhashify, readRecordedRuns, runInstaller, runProgram,
  stubsDir,
} from './util-vserver-sandbox.js';

const marker = '# Written by vhashify-install (vhashify package); its --uninstall removes it.';
const versionLine = /^vhashify \S+ -- hashifies vservers and\/or directories\n/;
const product = join(repoRoot, 'bin', 'vhashify');

// The sandbox is an installation nobody has configured for hashify yet: its check finds that.
const checkWarning = 'vhashify-install: warning: the configuration check found something to fix (above); the installation itself is complete\n';

describe('vhashify-install', () => {
  it('shows what vhashify --check --all finds after installing, and installs all the same', () => {
    const sandbox = createSandbox();
    const run = runInstaller(sandbox);
    assert.equal(run.status, 0, run.stderr);
    const block = run.stdout.slice(run.stdout.indexOf(`configuration check (${sandbox.target} --check --all):\n`));
    const hashDir = join(sandbox.confdir, '.defaults', 'apps', 'vunify', 'hash');
    assert.ok(block.includes(`\n  ${hashDir}: finding: Could not find a place for the hashified files at '${hashDir}'.\n`), block);
    assert.match(block, /\n {2}vhashify --check: \d+ findings?(, \d+ notes?)? \(checked [^)]*\)\n$/);
    assert.equal(run.stderr, checkWarning);
  });

  it('with --dry-run prints what it would do and changes nothing', () => {
    const sandbox = createSandbox();
    const before = listTree(sandbox.root);
    const run = runInstaller(sandbox, ['--dry-run']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^would keep the original ${sandbox.target} as ${sandbox.target}\\.upstream$`, 'm'));
    assert.match(run.stdout, new RegExp(`^would install ${sandbox.target} \\(launcher: \\S+ ${product}\\)$`, 'm'));
    assert.match(run.stdout, new RegExp(`^would install ${sandbox.destdir}/usr/local/share/man/man8/vhashify\\.8$`, 'm'));
    assert.deepEqual(listTree(sandbox.root), before);
  });

  it('puts a launcher at $_VHASHIFY that `vserver NAME hashify` runs, and keeps the original aside', () => {
    const sandbox = createSandbox();
    const originalInode = statSync(sandbox.target).ino;
    const run = runInstaller(sandbox);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, checkWarning, 'only the configuration check has something to say');
    assert.match(run.stdout, new RegExp(`^kept the original ${sandbox.target} as ${sandbox.target}\\.upstream$`, 'm'));

    const kept = `${sandbox.target}.upstream`;
    assert.deepEqual(readFileSync(kept), originalVhashify);
    assert.equal(statSync(kept).ino, originalInode, 'the original inode itself is kept');
    const launcher = readFileSync(sandbox.target, 'utf8');
    assert.equal(launcher.split('\n')[1], marker);
    assert.equal(statSync(sandbox.target).mode & 0o7777, 0o755);
    assert.match(launcher, new RegExp(`^exec '?${process.execPath}'? --max-semi-space-size=2 '?${product}'? "\\$@"$`, 'm'));
    assert.ok(launcher.includes(`UTIL_VSERVER_VARS=\${UTIL_VSERVER_VARS:-${sandbox.vars}}`), launcher);

    // util-vserver's script (the stand-in) runs our product; no UTIL_VSERVER_VARS in its environment.
    const version = runProgram(sandbox.vserver, ['g1', 'hashify', '--version'], sandbox.env);
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout, versionLine);
    assert.equal(version.stderr, '');
  });

  it('after installing, `vserver NAME hashify` really hashifies the guest through the installed launcher', () => {
    const sandbox = createSandbox();
    const guest = join(sandbox.root, 'vservers', 'g1');
    const store = join(sandbox.root, 'vservers', '.hash');
    mkdirSync(store);
    symlinkSync(store, join(sandbox.confdir, '.defaults', 'apps', 'vunify', 'hash', 'root'));
    writeFileSync(join(sandbox.confdir, '.defaults', 'apps', 'vunify', 'hash', 'protect'), 'none\n');
    writeFileSync(join(sandbox.confdir, '.defaults', 'apps', 'vunify', 'pkgmgmt-ignore'), '');
    mkdirSync(join(guest, 'usr', 'bin'), { recursive: true });
    for (const name of ['one', 'two']) writeFileSync(join(guest, 'usr', 'bin', name), 'two copies of one program, at least sixteen bytes\n');
    const run = runInstaller(sandbox);
    assert.equal(run.status, 0, run.stderr);
    // The installer put the packaged default exclude list in place; no UTIL_VSERVER_VARS in the environment.
    const hashify = runProgram(sandbox.vserver, ['g1', 'hashify', '-vv'], sandbox.env);
    assert.equal(hashify.status, 0, hashify.stderr);
    assert.match(hashify.stdout, new RegExp(`^Initializing exclude-list for ${guest} \\(g1\\)\nStarting to traverse directories\\.\\.\\.\n`));
    assert.equal(statSync(join(guest, 'usr', 'bin', 'one')).ino, statSync(join(guest, 'usr', 'bin', 'two')).ino, 'the twins are one inode');
    assert.equal(statSync(join(guest, 'usr', 'bin', 'one')).nlink, 3, 'and a store entry');
  });

  it('writes a launcher that names its util-vserver-vars, keeps argv[0] and drops NODE_EXTRA_CA_CERTS', () => {
    const sandbox = createSandbox();
    const env = { STUB_REAL_NODE: process.execPath };
    const run = runInstaller(sandbox, ['--node', join(stubsDir, 'node-recording')], env);
    assert.equal(run.status, 0, run.stderr);
    const version = runProgram(sandbox.vserver, ['g1', 'hashify', '--version'], {
      ...sandbox.env, ...env, NODE_EXTRA_CA_CERTS: join(sandbox.root, 'missing.pem'),
    }, sandbox.confdir);
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout, versionLine);
    assert.equal(version.stderr, '');
    const runs = readRecordedRuns(sandbox.record);
    const last = runs[runs.length - 1]!;
    assert.deepEqual(last.args, ['--max-semi-space-size=2', product, '--version', 'g1']);
    assert.equal(last.cwd, '/');
    assert.equal(last.env['INIT_CWD'], sandbox.confdir);
    assert.equal(last.env['UTIL_VSERVER_VARS'], sandbox.vars);
    assert.equal(last.env['VHASHIFY_ARGV0'], sandbox.target);
    assert.equal(last.env['NODE_EXTRA_CA_CERTS'], '<unset>');
  });

  it('installs the manual pages and the default exclude list where util-vserver-vars says', () => {
    const sandbox = createSandbox();
    assert.equal(runInstaller(sandbox).status, 0);
    for (const page of ['man8/vhashify.8', 'man5/vunify-exclude.5']) {
      assert.deepEqual(readFileSync(join(sandbox.destdir, 'usr/local/share/man', page)), readFileSync(join(repoRoot, 'man', page.split('/')[1]!)));
    }
    assert.deepEqual(readFileSync(join(sandbox.defaultsdir, 'vunify-exclude')), readFileSync(join(repoRoot, 'compat', 'vunify-exclude')));
  });

  it('changes nothing when run again, and --uninstall restores the sandbox exactly, twice', () => {
    const sandbox = createSandbox();
    const pristine = listTree(sandbox.root, [], false);
    assert.equal(runInstaller(sandbox).status, 0);
    const installed = listTree(sandbox.root);
    const again = runInstaller(sandbox);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(listTree(sandbox.root), installed);
    const changes = again.stdout.slice(0, again.stdout.indexOf('configuration check ('));
    assert.deepEqual(changes.split('\n').filter((line) => line !== '' && !line.startsWith('unchanged ')), []);

    const undo = runProgram(installerPath, ['--uninstall'], { ...sandbox.env, DESTDIR: sandbox.destdir });
    assert.equal(undo.status, 0, undo.stderr);
    assert.match(undo.stdout, new RegExp(`^restored ${sandbox.target} from ${sandbox.target}\\.upstream$`, 'm'));
    assert.deepEqual(readFileSync(sandbox.target), originalVhashify);
    assert.deepEqual(listTree(sandbox.root, [], false), pristine);

    const undoAgain = runProgram(installerPath, ['--uninstall'], { ...sandbox.env, DESTDIR: sandbox.destdir });
    assert.equal(undoAgain.status, 0, undoAgain.stderr);
    assert.match(undoAgain.stdout, /^nothing to uninstall: no manifest at /);
    assert.deepEqual(listTree(sandbox.root, [], false), pristine);
  });

  it('leaves an exclude list that was there before, and keeps it on --uninstall', () => {
    const sandbox = createSandbox();
    const own = join(sandbox.defaultsdir, 'vunify-exclude');
    writeFileSync(own, '/etc\n/var\n');
    const run = runInstaller(sandbox);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^left alone ${own} \\(present, not installed by vhashify-install\\)$`, 'm'));
    runProgram(installerPath, ['--uninstall'], { ...sandbox.env, DESTDIR: sandbox.destdir });
    assert.equal(readFileSync(own, 'utf8'), '/etc\n/var\n');
  });

  it('refuses a Node.js older than 20.19 and changes nothing', () => {
    const sandbox = createSandbox();
    const before = listTree(sandbox.root);
    const run = runInstaller(sandbox, ['--node', join(stubsDir, 'node-18')]);
    assert.equal(run.status, 1);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, `vhashify-install: Node.js v18.19.0 at ${join(stubsDir, 'node-18')} is too old: vhashify needs 20.19.0 or later (install a newer Node.js, or name one with --node or NODE); nothing changed\n`);
    assert.deepEqual(listTree(sandbox.root), before);
  });

  it('refuses a product that does not start and changes nothing', () => {
    const sandbox = createSandbox();
    const before = listTree(sandbox.root);
    const run = runInstaller(sandbox, [], { NODE: join(stubsDir, 'node-broken') });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^vhashify-install: the product does not start: .*node-broken --max-semi-space-size=2 .*\/bin\/vhashify --version exited 1:\nnode: cannot start: /);
    assert.match(run.stderr, /nothing changed\n$/);
    assert.deepEqual(listTree(sandbox.root), before);
  });

  it('refuses to guess when util-vserver-vars is missing', () => {
    const sandbox = createSandbox();
    const missing = join(sandbox.root, 'no-such-vars');
    const run = runProgram(installerPath, ['--vars', missing], { ...sandbox.env, DESTDIR: sandbox.destdir });
    assert.equal(run.status, 1);
    assert.equal(run.stderr, `vhashify-install: cannot read ${missing}; is util-vserver installed? Name its util-vserver-vars with --vars or UTIL_VSERVER_VARS\n`);
  });

  it('does not overwrite a <path>.upstream it did not make', () => {
    const sandbox = createSandbox();
    writeFileSync(`${sandbox.target}.upstream`, 'someone else\'s\n');
    const before = listTree(sandbox.root);
    const run = runInstaller(sandbox);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /\.upstream exists already; move it away first/);
    assert.deepEqual(listTree(sandbox.root), before);
  });

  it('takes over the wrapper of earlier versions and its kept original', () => {
    const sandbox = createSandbox();
    const kept = `${sandbox.target}.upstream`;
    writeFileSync(kept, originalVhashify, { mode: 0o755 });
    writeFileSync(sandbox.target, '#!/bin/sh\n# vhashify-install: wrapper for the TypeScript vhashify\nexec node /old/bin/vhashify "$@"\n', { mode: 0o755 });
    const run = runInstaller(sandbox);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(readFileSync(sandbox.target, 'utf8').split('\n')[1], marker);
    runProgram(installerPath, ['--uninstall'], { ...sandbox.env, DESTDIR: sandbox.destdir });
    assert.deepEqual(readFileSync(sandbox.target), originalVhashify);
    assert.throws(() => lstatSync(kept), { code: 'ENOENT' });
  });

  it('--uninstall without a manifest still takes out an earlier version\'s wrapper', () => {
    const sandbox = createSandbox();
    const kept = `${sandbox.target}.upstream`;
    writeFileSync(kept, originalVhashify, { mode: 0o755 });
    writeFileSync(sandbox.target, '#!/bin/sh\n# vhashify-install: wrapper for the TypeScript vhashify\nexec node /old/bin/vhashify "$@"\n', { mode: 0o755 });
    const undo = runProgram(installerPath, ['--uninstall', '--vars', sandbox.vars], { ...sandbox.env, DESTDIR: sandbox.destdir });
    assert.equal(undo.status, 0, undo.stderr);
    assert.equal(undo.stdout, `restored ${sandbox.target} from ${kept}\n`);
    assert.deepEqual(readFileSync(sandbox.target), originalVhashify);
  });

  it('leaves a distribution alone whose admin hook cannot be moved aside, and says so', () => {
    const sandbox = createSandbox();
    const dir = join(sandbox.confdir, '.distributions', 'debian');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'initpost'), '#!/bin/sh\necho mine\n', { mode: 0o755 });
    writeFileSync(join(dir, 'initpost.before-vhashify'), '#!/bin/sh\necho older\n', { mode: 0o755 });
    const run = runInstaller(sandbox);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, `vhashify-install: warning: no hook for distribution 'debian': ${dir}/initpost is not ours and ${dir}/initpost.before-vhashify exists too; merge them, then run this again\n${checkWarning}`);
    assert.equal(readFileSync(join(dir, 'initpost'), 'utf8'), '#!/bin/sh\necho mine\n');
    assert.match(readFileSync(join(sandbox.confdir, '.distributions', 'etch', 'initpost'), 'utf8'), /^#!\/bin\/bash\n# Written by vhashify-install/);
  });
});

describe('vhashify-install where a Debian package owns $_VHASHIFY', () => {
  const sandbox = createSandbox();
  const state = join(sandbox.root, 'dpkg-state');
  mkdirSync(state);
  writeFileSync(join(state, 'owned'), `${sandbox.target}\n`);
  const stubPath = createStubPath(sandbox, 'dpkg-bin', { dpkg: 'dpkg', 'dpkg-divert': 'dpkg-divert' });
  const env = { ...sandbox.env, PATH: `${stubPath}:${sandbox.env['PATH']}`, STUB_DPKG_STATE: state, DESTDIR: sandbox.destdir };
  const calls = (): string[] => readFileSync(join(state, 'calls'), 'utf8').trimEnd().split('\n');
  const kept = `${sandbox.target}.upstream`;

  it('keeps the original with dpkg-divert --rename and installs the launcher', () => {
    const run = runProgram(installerPath, ['--vars', sandbox.vars], env);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^kept the original ${sandbox.target} \\(package util-vserver\\) as ${kept}, with dpkg-divert --rename$`, 'm'));
    assert.ok(calls().includes(`--local --rename --divert ${kept} --add ${sandbox.target}`), calls().join('\n'));
    assert.equal(readFileSync(join(state, 'diversions'), 'utf8'), `${sandbox.target}\t${kept}\n`);
    assert.deepEqual(readFileSync(kept), originalVhashify);
    assert.equal(readFileSync(sandbox.target, 'utf8').split('\n')[1], marker);
  });

  it('adds no second diversion when run again', () => {
    const before = calls().length;
    const run = runProgram(installerPath, ['--vars', sandbox.vars], env);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(calls().slice(before).filter((call) => call.includes('--add')), []);
  });

  it('--uninstall removes the diversion, which puts the original back byte for byte', () => {
    const run = runProgram(installerPath, ['--uninstall'], env);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(calls().includes(`--local --rename --divert ${kept} --remove ${sandbox.target}`), calls().join('\n'));
    assert.equal(readFileSync(join(state, 'diversions'), 'utf8'), '');
    assert.deepEqual(readFileSync(sandbox.target), originalVhashify);
    assert.throws(() => lstatSync(kept), { code: 'ENOENT' });
  });
});
