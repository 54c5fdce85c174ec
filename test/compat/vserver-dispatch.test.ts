// `vserver <name> hashify` as util-vserver dispatches it (spec 9.1), checked for both scripts that
// do it here: the test stand-in for util-vserver's own script, and our front end compat/vserver.
// _VHASHIFY is a stub that records its arguments, working directory and environment.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../support/paths.js';
import {
  copyExecutable, copyWithVarsLiteral, createSandbox, frontendPath, readRecordedRuns, runProgram, standInPath, stubsDir,
} from './util-vserver-sandbox.js';

const usageTail = '<vserver> {start|stop|suexec|restart|condrestart|exec|enter|chkconfig|running|status|delete}\n';

function unknownGuestText(dir: string, name: string): string {
  return `Can not find a vserver-setup at '${dir}/'.\n\nPossible solutions:\n`
    + `* fix the spelling of the '${name}' vserver name\n`
    + `* read 'vserver ${name} build --help' about ways to create a new vserver\n`
    + '* see \'vserver --help\' for the syntax of this command\n\n';
}

interface Dispatcher {
  title: string;
  source: string;
}

const dispatchers: Dispatcher[] = [
  { title: 'the stand-in for util-vserver\'s vserver', source: standInPath },
  { title: 'compat/vserver with util-vserver installed', source: frontendPath },
];

for (const { title, source } of dispatchers) {
  describe(`${title}: vserver <name> hashify`, () => {
    const sandbox = createSandbox();
    // As installed: the default util-vserver-vars literal names the (recording) installation, and
    // UTIL_VSERVER_VARS is not in the environment.
    const script = join(sandbox.root, 'usr', 'sbin', 'vserver-recording');
    copyWithVarsLiteral(source, script, sandbox.recordingVars);
    // No other vserver: the front end would hand it the commands that are not hashify.
    rmSync(sandbox.vserver);
    const workDir = join(sandbox.root, 'tmp');

    function run(args: readonly string[], cwd = workDir, env: Record<string, string> = {}) {
      rmSync(sandbox.record, { force: true });
      const result = runProgram(script, args, { ...sandbox.env, ...env }, cwd);
      return { ...result, runs: readRecordedRuns(sandbox.record) };
    }

    it('runs $_VHASHIFY with the options typed after "hashify", then the name, from / with INIT_CWD set', () => {
      const result = run(['g1', 'hashify', '-v', '-n']);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stderr, '');
      assert.equal(result.runs.length, 1);
      const [recorded] = result.runs;
      assert.equal(recorded!.argv0, join(stubsDir, 'record-argv'));
      assert.deepEqual(recorded!.args, ['-v', '-n', 'g1']);
      assert.equal(recorded!.cwd, '/');
      assert.equal(recorded!.env['INIT_CWD'], workDir);
    });

    it('does not export UTIL_VSERVER_VARS it did not get from the environment, and passes on one it got', () => {
      assert.equal(run(['g1', 'hashify']).runs[0]!.env['UTIL_VSERVER_VARS'], '<unset>');
      const given = run(['g1', 'hashify'], workDir, { UTIL_VSERVER_VARS: sandbox.recordingVars });
      assert.equal(given.runs[0]!.env['UTIL_VSERVER_VARS'], sandbox.recordingVars);
    });

    it('accepts the global options and forwards none of them; removes one trailing slash from the name', () => {
      const result = run(['-v', '--silent', '-s', '--sync', '--verbose', '--defaulttty', '--strace', '--debug-sysv', '--', 'g1/', 'hashify', '--ignore-mtime']);
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(result.runs[0]!.args, ['--ignore-mtime', 'g1']);
    });

    it('passes ./name as typed, checked against its working directory (QUIRK Q30), and /path without the slash', () => {
      const relativeRun = run(['./g1', 'hashify'], sandbox.confdir);
      assert.equal(relativeRun.status, 0, relativeRun.stderr);
      assert.deepEqual(relativeRun.runs[0]!.args, ['./g1']);
      assert.equal(relativeRun.runs[0]!.env['INIT_CWD'], sandbox.confdir);
      const absoluteRun = run([`${sandbox.confdir}/g1/`, 'hashify']);
      assert.deepEqual(absoluteRun.runs[0]!.args, [`${sandbox.confdir}/g1`]);
    });

    it('exits 5 with upstream\'s text for an unknown guest, before looking at the command', () => {
      for (const args of [['nosuch', 'hashify', '-v'], ['nosuch/', 'frobnicate']]) {
        const result = run(args);
        assert.equal(result.status, 5);
        assert.equal(result.stdout, '');
        assert.equal(result.stderr, unknownGuestText(`${sandbox.confdir}/nosuch`, 'nosuch'));
        assert.deepEqual(result.runs, []);
      }
      const relativeRun = run(['./nosuch', 'hashify']);
      assert.equal(relativeRun.status, 5);
      assert.equal(relativeRun.stderr, unknownGuestText(`${workDir}/./nosuch`, './nosuch'));
    });

    it('exits 2 with the usage line for a missing or unknown command', () => {
      for (const args of [['g1'], ['g1', 'frobnicate']]) {
        const result = run(args);
        assert.equal(result.status, 2);
        assert.equal(result.stderr, `Usage: ${script} ${usageTail}`);
        assert.deepEqual(result.runs, []);
      }
    });

    it('exits 1 with getopt\'s message for an unknown global option, and upstream\'s for --nonamespace', () => {
      const unknown = run(['--bogus', 'g1', 'hashify']);
      assert.equal(unknown.status, 1);
      assert.equal(unknown.stderr, `${script}: unrecognized option '--bogus'\n`);
      const nonamespace = run(['--nonamespace', 'g1', 'hashify']);
      assert.equal(nonamespace.status, 1);
      assert.equal(nonamespace.stderr, 'vserver: internal error; arg==\'--nonamespace\'\n');
      assert.deepEqual(nonamespace.runs, []);
    });

    it('names a util-vserver-vars that does not exist, and exits 1', () => {
      const missing = join(sandbox.root, 'no-such-vars');
      const result = run(['g1', 'hashify'], workDir, { UTIL_VSERVER_VARS: missing });
      assert.equal(result.status, 1);
      assert.equal(result.stderr, `Can not find util-vserver installation (the file '${missing}' would be expected); aborting...\n`);
    });
  });
}

describe('compat/vserver, the front end: every other command', () => {
  const sandbox = createSandbox();
  const env: Record<string, string> = { ...sandbox.env, UTIL_VSERVER_VARS: sandbox.recordingVars };
  const realVserver = join(sandbox.root, 'usr', 'sbin', 'vserver');

  function useAsRealVserver(target: string | undefined): void {
    rmSync(realVserver, { force: true });
    if (target !== undefined) symlinkSync(target, realVserver);
  }

  it('hands the whole command line, global options included, to util-vserver\'s vserver ($_VSERVER)', () => {
    useAsRealVserver(join(stubsDir, 'record-argv'));
    rmSync(sandbox.record, { force: true });
    const result = runProgram(frontendPath, ['-v', 'g1', 'start', '--rescue'], env);
    assert.equal(result.status, 0, result.stderr);
    const runs = readRecordedRuns(sandbox.record);
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.argv0, realVserver);
    assert.deepEqual(runs[0]!.args, ['-v', 'g1', 'start', '--rescue']);
    // hashify stays with the front end.
    rmSync(sandbox.record, { force: true });
    runProgram(frontendPath, ['g1', 'hashify'], env);
    assert.equal(readRecordedRuns(sandbox.record)[0]!.argv0, join(stubsDir, 'record-argv'));
    assert.deepEqual(readRecordedRuns(sandbox.record)[0]!.args, ['g1']);
  });

  it('never hands a command to itself, whether $_VSERVER links to it or a copy is on PATH', () => {
    useAsRealVserver(frontendPath);
    const copyDir = join(sandbox.root, 'path-with-copy');
    mkdirSync(copyDir, { recursive: true });
    copyExecutable(frontendPath, join(copyDir, 'vserver'));
    const result = runProgram(frontendPath, ['g1', 'start'], { ...env, PATH: `${copyDir}:${env['PATH']}` });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^vserver: 'start' needs util-vserver's own vserver program, but .*\/usr\/sbin\/vserver is missing and no other vserver is on PATH; this front end \(vhashify's compat\/vserver\) runs only 'hashify'\n$/);
  });

  it('finds util-vserver\'s vserver on PATH when $_VSERVER is absent', () => {
    useAsRealVserver(undefined);
    const pathDir = join(sandbox.root, 'path-with-real');
    mkdirSync(pathDir, { recursive: true });
    symlinkSync(join(stubsDir, 'record-argv'), join(pathDir, 'vserver'));
    rmSync(sandbox.record, { force: true });
    const result = runProgram(frontendPath, ['g1', 'frobnicate'], { ...env, PATH: `${pathDir}:${env['PATH']}` });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(readRecordedRuns(sandbox.record)[0]!.args, ['g1', 'frobnicate']);
  });

  it('without any util-vserver vserver: known commands fail clearly, unknown ones get the usage line', () => {
    useAsRealVserver(undefined);
    const start = runProgram(frontendPath, ['g1', 'status'], env);
    assert.equal(start.status, 1);
    assert.match(start.stderr, /^vserver: 'status' needs util-vserver's own vserver program/);
    const unknown = runProgram(frontendPath, ['g1', 'frobnicate'], env);
    assert.equal(unknown.status, 2);
    assert.equal(unknown.stderr, `Usage: ${frontendPath} ${usageTail}`);
  });

  it('reports a legacy guest (only NAME.conf) instead of hashifying it', () => {
    writeFileSync(join(sandbox.confdir, 'old.conf'), 'S_CONTEXT=42\n');
    const result = runProgram(frontendPath, ['old', 'hashify'], env);
    assert.equal(result.status, 1);
    assert.equal(result.stderr, 'WARNING: can not find configuration, assuming legacy method\n'
      + `vserver: 'old' is a legacy guest (${sandbox.confdir}/old.conf); vhashify needs a configuration directory ${sandbox.confdir}/old/ with vdir and apps/vunify\n`);
  });
});

describe('compat/vserver, the front end, without util-vserver', () => {
  const sandbox = createSandbox();
  // No UTIL_VSERVER_VARS and no util-vserver-vars at the default place; node for bin/vhashify's #! line.
  const env: Record<string, string> = { ...sandbox.env, PATH: `${dirname(process.execPath)}:/usr/bin:/bin` };
  const hostHasUtilVserver = existsSync('/usr/lib/util-vserver/util-vserver-vars');

  it('runs the vhashify of its own package', (t) => {
    if (hostHasUtilVserver) return t.skip('this host has util-vserver');
    const result = runProgram(frontendPath, [`${sandbox.confdir}/g1`, 'hashify', '--version'], env);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^vhashify \S+ -- hashifies vservers and\/or directories\n/);
    assert.ok(existsSync(join(repoRoot, 'bin', 'vhashify')));
  });

  it('looks guests up below /etc/vservers and says so for an unknown one', (t) => {
    if (hostHasUtilVserver) return t.skip('this host has util-vserver');
    const name = `no-such-guest-${process.pid}`;
    const result = runProgram(frontendPath, [name, 'hashify'], env);
    assert.equal(result.status, 5);
    assert.equal(result.stderr, unknownGuestText(`/etc/vservers/${name}`, name));
  });

  it('names what is missing for the commands only util-vserver has', (t) => {
    if (hostHasUtilVserver) return t.skip('this host has util-vserver');
    const result = runProgram(frontendPath, ['g1', 'start'], env);
    assert.equal(result.status, 1);
    assert.equal(result.stderr, 'vserver: \'start\' needs util-vserver, which is not installed (no /usr/lib/util-vserver/util-vserver-vars, UTIL_VSERVER_VARS unset, no other vserver on PATH); this front end (vhashify\'s compat/vserver) runs only \'hashify\'\n');
  });
});
