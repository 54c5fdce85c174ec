// The post-build hook compat/vhashify-install puts at CONFDIR/.distributions/<DIST>/initpost: which
// distributions get it, the chain to the packaged (or the admin's own) initpost with the build's
// arguments and its failure, apps/vunify, the vhashify run, and the log; it never fails a build
// because hashify failed.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  createSandbox, createStubPath, installerPath, readRecordedRuns, runInstaller, runProgram, stubsDir, type Sandbox,
} from './util-vserver-sandbox.js';

const adminHook = '#!/bin/sh\n# the admin\'s own hook\necho "admin hook $*" >> "$ADMIN_HOOK_LOG"\n';

/** An installation with hooks, an admin's own hook for redhat, an admin's `bookworm`, and --dist trixie. */
function installWithHooks(): { sandbox: Sandbox; logDir: string; hook: (dist: string) => string } {
  const sandbox = createSandbox();
  const distributions = join(sandbox.confdir, '.distributions');
  mkdirSync(join(distributions, 'redhat'), { recursive: true });
  writeFileSync(join(distributions, 'redhat', 'initpost'), adminHook, { mode: 0o755 });
  mkdirSync(join(distributions, 'bookworm'));
  mkdirSync(join(distributions, '.common'));
  const logDir = join(sandbox.root, 'log');
  const run = runInstaller(sandbox, ['--dist', 'trixie', '--log-dir', logDir]);
  assert.equal(run.status, 0, run.stderr);
  return { sandbox, logDir, hook: (dist) => join(distributions, dist, 'initpost') };
}

describe('the post-build hook', () => {
  const { sandbox, logDir, hook } = installWithHooks();
  const stubPath = createStubPath(sandbox, 'logger-bin', { logger: 'logger' });
  const loggerLog = join(sandbox.root, 'logger.log');
  const packagedLog = join(sandbox.root, 'packaged-initpost.log');
  const env = {
    ...sandbox.env, PATH: `${stubPath}:${sandbox.env['PATH']}`, STUB_LOGGER_LOG: loggerLog,
    ADMIN_HOOK_LOG: join(sandbox.root, 'admin-hook.log'),
  };

  /** A freshly built guest's configuration directory, as vserver-build leaves it. */
  function buildGuest(name: string): string {
    const cfgdir = join(sandbox.confdir, name);
    mkdirSync(join(cfgdir, 'apps'), { recursive: true });
    return cfgdir;
  }

  function runHook(dist: string, cfgdir: string, extraEnv: Record<string, string> = {}) {
    for (const file of [sandbox.record, loggerLog, packagedLog]) writeFileSync(file, '');
    const result = runProgram(hook(dist), [cfgdir, sandbox.recordingVars], { ...env, ...extraEnv }, sandbox.root);
    const runs = readRecordedRuns(sandbox.record);
    return {
      ...result,
      checked: runs.filter((run) => run.args[0] === '--check'),
      hashified: runs.filter((run) => run.args[0] !== '--check'),
      logged: readFileSync(loggerLog, 'utf8'),
      packaged: readFileSync(packagedLog, 'utf8'),
    };
  }

  it('is installed for every distribution util-vserver knows, the admin\'s, --dist ones and `:`', () => {
    const dirs = readdirSync(join(sandbox.confdir, '.distributions')).sort();
    assert.deepEqual(dirs, ['.common', ':', 'bookworm', 'debian', 'etch', 'f9', 'plain', 'redhat', 'trixie']);
    for (const dist of [':', 'bookworm', 'debian', 'etch', 'f9', 'plain', 'redhat', 'trixie']) {
      assert.equal(statSync(hook(dist)).mode & 0o777, 0o755, dist);
      assert.match(readFileSync(hook(dist), 'utf8'), /^#!\/bin\/bash\n# Written by vhashify-install/, dist);
    }
    assert.equal(existsSync(join(sandbox.confdir, '.distributions', '.common', 'initpost')), false);
    assert.equal(existsSync(join(sandbox.confdir, '.distributions', 'defaults')), false);
  });

  it('runs the packaged initpost with the build\'s arguments, creates apps/vunify, checks and hashifies by path, logs, exits 0', () => {
    const cfgdir = buildGuest('g3');
    const result = runHook('etch', cfgdir);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.equal(result.packaged, `packaged debian initpost ${cfgdir} ${sandbox.recordingVars}\n`);
    assert.ok(statSync(join(cfgdir, 'apps', 'vunify')).isDirectory());
    assert.deepEqual(result.checked.map((run) => run.args), [['--check', cfgdir]]);
    assert.equal(result.hashified.length, 1);
    assert.deepEqual(result.hashified[0]!.args, [cfgdir]);
    // A clean check is not logged: only the hashify outcome is.
    assert.equal(result.logged, `logger -t vhashify-initpost -p user.notice\ng3: hashified (${join(stubsDir, 'record-argv')} ${cfgdir})\n`);
  });

  it('logs what the configuration check finds, says so on stderr, and hashifies all the same', () => {
    const cfgdir = buildGuest('g9');
    const finding = `${cfgdir}/apps/vunify/exclude:2: finding: the line '/etc\\r' ends in a carriage return`;
    const result = runHook('etch', cfgdir, { STUB_CHECK_EXIT: '1', STUB_CHECK_STDOUT: finding });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.hashified.length, 1);
    assert.equal(result.logged, 'logger -t vhashify-initpost -p user.err\n'
      + `${finding}\n`
      + `g9: '${join(stubsDir, 'record-argv')} --check ${cfgdir}' found something to fix (exit status 1); see the lines above\n`
      + 'logger -t vhashify-initpost -p user.notice\n'
      + `g9: hashified (${join(stubsDir, 'record-argv')} ${cfgdir})\n`);
    assert.equal(result.stderr, 'vhashify-initpost: g9: the configuration check found something to fix; see syslog (tag vhashify-initpost)\n');
  });

  it('still exits 0 when hashify fails, and logs what it said and why', () => {
    const cfgdir = buildGuest('g4');
    const result = runHook('debian', cfgdir, { STUB_EXIT: '1', STUB_STDERR: 'no hash-directory configured for this vserver.' });
    assert.equal(result.status, 0);
    assert.equal(result.hashified.length, 1);
    assert.equal(result.logged, 'logger -t vhashify-initpost -p user.err\n'
      + 'no hash-directory configured for this vserver.\n'
      + `g4: '${join(stubsDir, 'record-argv')} ${cfgdir}' failed with exit status 1; the guest is built all the same; once the cause is fixed, run: vserver g4 hashify\n`);
    assert.equal(result.stderr, 'vhashify-initpost: g4 was built but hashify failed (exit status 1); see syslog (tag vhashify-initpost)\n');
  });

  it('writes to its log file when syslog is not available', () => {
    const cfgdir = buildGuest('g5');
    const result = runHook('plain', cfgdir, { STUB_EXIT: '3', STUB_STDERR: 'something went wrong', STUB_LOGGER_FAIL: '1' });
    assert.equal(result.status, 0);
    const logFile = join(logDir, 'initpost.log');
    assert.equal(result.stderr, `vhashify-initpost: g5 was built but hashify failed (exit status 3); see ${logFile}\n`);
    const lines = readFileSync(logFile, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} vhashify-initpost\[\d+\]: something went wrong$/);
    assert.match(lines[1]!, /vhashify-initpost\[\d+\]: g5: '.*' failed with exit status 3; the guest is built all the same; once the cause is fixed, run: vserver g5 hashify$/);
  });

  it('fails the build as before when the packaged initpost fails, without hashifying', () => {
    const cfgdir = buildGuest('g6');
    writeFileSync(join(sandbox.root, 'packaged-initpost.exit'), '3\n');
    try {
      const result = runHook('f9', cfgdir);
      assert.equal(result.status, 3);
      assert.equal(result.packaged, `packaged redhat initpost ${cfgdir} ${sandbox.recordingVars}\n`);
      assert.deepEqual(result.hashified, []);
      assert.equal(existsSync(join(cfgdir, 'apps', 'vunify')), false);
    } finally {
      writeFileSync(join(sandbox.root, 'packaged-initpost.exit'), '0\n');
    }
  });

  it('runs the admin\'s own hook it replaced instead of the packaged one', () => {
    assert.equal(readFileSync(join(sandbox.confdir, '.distributions', 'redhat', 'initpost.before-vhashify'), 'utf8'), adminHook);
    const cfgdir = buildGuest('g7');
    const result = runHook('redhat', cfgdir);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.packaged, '');
    assert.equal(readFileSync(env.ADMIN_HOOK_LOG, 'utf8'), `admin hook ${cfgdir} ${sandbox.recordingVars}\n`);
    assert.deepEqual(result.hashified[0]!.args, [cfgdir]);
  });

  it('just hashifies for `:` (clone, rsync, skeleton, template builds), which has no packaged initpost', () => {
    const cfgdir = buildGuest('g8');
    const result = runHook(':', cfgdir);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.packaged, '');
    assert.deepEqual(result.hashified[0]!.args, [cfgdir]);
  });

  it('is removed by --uninstall, which puts the admin\'s hook back byte for byte', () => {
    const undo = runProgram(installerPath, ['--uninstall'], { ...sandbox.env, DESTDIR: sandbox.destdir });
    assert.equal(undo.status, 0, undo.stderr);
    assert.deepEqual(readdirSync(join(sandbox.confdir, '.distributions')).sort(), ['.common', 'bookworm', 'redhat']);
    assert.deepEqual(readdirSync(join(sandbox.confdir, '.distributions', 'redhat')), ['initpost']);
    assert.equal(readFileSync(join(sandbox.confdir, '.distributions', 'redhat', 'initpost'), 'utf8'), adminHook);
    assert.deepEqual(readdirSync(join(sandbox.confdir, '.distributions', 'bookworm')), []);
  });
});
