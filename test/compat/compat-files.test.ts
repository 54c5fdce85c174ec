// The files in compat/ that integrate with an installed util-vserver: the installer, the
// every-guest runner and its timer and cron line, exercised against a fake installation.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../support/paths.js';

const compat = join(repoRoot, 'compat');
const scratch = mkdtempSync(join(tmpdir(), 'vhashify-compat-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const standIn = '#!/bin/sh\necho "upstream vhashify $*"\n';

function runScript(script: string, args: readonly string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(join(compat, script), args, {
    encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// A util-vserver installation with a stand-in vhashify; _VHASHIFY refers to an earlier variable, as the real file does.
function createFakeInstallation(name: string): { vars: string; target: string; backup: string } {
  const root = join(scratch, name);
  mkdirSync(join(root, 'libexec'), { recursive: true });
  const vars = join(root, 'util-vserver-vars');
  writeFileSync(vars, `# fake\n__PKGLIBEXECDIR='${root}/libexec'\n_VHASHIFY="$__PKGLIBEXECDIR/vhashify"\n`);
  const target = join(root, 'libexec', 'vhashify');
  writeFileSync(target, standIn, { mode: 0o755 });
  return { vars, target, backup: `${target}.upstream` };
}

describe('vhashify-install', () => {
  it('with --dry-run prints the paths it would use and changes nothing', () => {
    const { vars, target, backup } = createFakeInstallation('dry');
    const run = runScript('vhashify-install', ['--dry-run'], { UTIL_VSERVER_VARS: vars });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^would keep the original ${target} as ${backup}$`, 'm'));
    assert.match(run.stdout, new RegExp(`^would install a wrapper at ${target} that runs: \\S*node ${join(repoRoot, 'bin', 'vhashify')}$`, 'm'));
    assert.equal(readFileSync(target, 'utf8'), standIn);
    assert.equal(existsSync(backup), false);
  });

  it('installs a wrapper that runs this package, keeps the original once, and --uninstall restores it', () => {
    const { vars, target, backup } = createFakeInstallation('real');
    const env = { UTIL_VSERVER_VARS: vars };
    assert.equal(runScript('vhashify-install', [], env).status, 0);
    assert.equal(readFileSync(backup, 'utf8'), standIn);
    assert.equal(statSync(target).mode & 0o777, 0o755);
    // The wrapper runs our command, which names itself by the wrapper's path as upstream would.
    // A certificate bundle that cannot be loaded would make Node warn on stderr; the wrapper drops it.
    const help = spawnSync(target, ['--help'], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', NODE_EXTRA_CA_CERTS: join(scratch, 'missing.pem') } });
    assert.equal(help.status, 0, help.stderr);
    assert.equal(help.stderr, '');
    assert.match(help.stdout, new RegExp(`^  ${target} --manually --destination <hashdir>`, 'm'));

    // A second install rewrites the wrapper but must not move it onto the kept original.
    assert.equal(runScript('vhashify-install', [], env).status, 0);
    assert.equal(readFileSync(backup, 'utf8'), standIn);

    const undo = runScript('vhashify-install', ['--uninstall'], env);
    assert.equal(undo.status, 0, undo.stderr);
    assert.equal(readFileSync(target, 'utf8'), standIn);
    assert.equal(existsSync(backup), false);
    assert.match(runScript('vhashify-install', ['--uninstall'], env).stdout, /is not our wrapper; nothing to undo/);
  });

  it('refuses to guess when util-vserver-vars is missing', () => {
    const run = runScript('vhashify-install', [], { UTIL_VSERVER_VARS: join(scratch, 'no-such-vars') });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /cannot read .*no-such-vars; set UTIL_VSERVER_VARS/);
  });
});

// A CONFDIR with guests, and a fake `vserver` on PATH that records its arguments and fails for `delta`.
function createFakeHost(name: string, guests: Record<string, boolean>): { env: Record<string, string>; calls: string } {
  const root = join(scratch, name);
  const confdir = join(root, 'etc', 'vservers');
  for (const [guest, hasVunify] of Object.entries(guests)) {
    mkdirSync(join(confdir, guest, hasVunify ? 'apps/vunify' : 'apps'), { recursive: true });
  }
  mkdirSync(join(root, 'bin'));
  const calls = join(root, 'calls');
  writeFileSync(join(root, 'bin', 'vserver'), `#!/bin/sh\necho "$*" >> '${calls}'\n[ "$1" != delta ] || exit 3\n`);
  chmodSync(join(root, 'bin', 'vserver'), 0o755);
  writeFileSync(join(root, 'vars'), `__CONFDIR='${confdir}'\n`);
  return { env: { UTIL_VSERVER_VARS: join(root, 'vars'), PATH: `${join(root, 'bin')}:${process.env['PATH'] ?? '/usr/bin:/bin'}` }, calls };
}

function readCalls(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n') : [];
}

describe('vhashify-all', () => {
  it('hashifies each guest with apps/vunify in name order, goes on after a failure and exits 1', () => {
    const host = createFakeHost('mixed', { gamma: true, alpha: true, beta: false, delta: true, '.defaults': true });
    const run = runScript('vhashify-all', ['-v'], host.env);
    assert.deepEqual(readCalls(host.calls), ['alpha hashify -v', 'delta hashify -v', 'gamma hashify -v']);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^vhashify-all: delta: FAILED with exit status 3$/m);
    assert.match(run.stderr, /^vhashify-all: 1 of 3 guests failed: delta$/m);
    assert.match(run.stdout, /^vhashify-all: gamma: done in \d+ s$/m);
  });

  it('exits 0 when every guest succeeds', () => {
    const host = createFakeHost('good', { alpha: true, gamma: true });
    const run = runScript('vhashify-all', [], host.env);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(readCalls(host.calls), ['alpha hashify', 'gamma hashify']);
    assert.match(run.stdout, /^vhashify-all: all 2 guests done$/m);
  });

  it('does nothing, successfully, when no guest has apps/vunify', () => {
    const host = createFakeHost('none', { beta: false });
    const run = runScript('vhashify-all', [], host.env);
    assert.equal(run.status, 0);
    assert.deepEqual(readCalls(host.calls), []);
    assert.match(run.stdout, /has apps\/vunify; nothing to do/);
  });
});

describe('timer, service and cron line', () => {
  const service = readFileSync(join(compat, 'vhashify-all.service'), 'utf8');
  const timer = readFileSync(join(compat, 'vhashify-all.timer'), 'utf8');
  const cron = readFileSync(join(compat, 'vhashify.cron'), 'utf8');

  it('run vhashify-all daily, idle, and catch up missed days', () => {
    for (const line of ['OnCalendar=daily', 'Persistent=true']) assert.match(timer, new RegExp(`^${line}$`, 'm'));
    assert.match(timer, /^RandomizedDelaySec=\S+$/m);
    for (const line of ['Type=oneshot', 'Nice=19', 'IOSchedulingClass=idle']) assert.match(service, new RegExp(`^${line}$`, 'm'));
    assert.match(service, /^ExecStart=\/\S+\/compat\/vhashify-all$/m);
  });

  it('has one cron.d line: five time fields, root, the same script at idle priority', () => {
    const jobs = cron.split('\n').filter((line) => /^[0-9*]/.test(line));
    assert.equal(jobs.length, 1);
    const fields = jobs[0]!.split(/\s+/);
    assert.equal(fields[5], 'root');
    assert.match(jobs[0]!, /ionice -c 3 \/\S+\/compat\/vhashify-all /);
  });
});
