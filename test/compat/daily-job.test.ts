// The daily `vhashify --all` job that compat/vhashify-install writes: systemd units where systemd
// is the init system (DESTDIR/run/systemd/system), else a cron.d line, never both; every path in
// them found at install time; `systemd-analyze verify` accepts the units.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createSandbox, installerPath, listTree, runInstaller, runProgram, type Sandbox } from './util-vserver-sandbox.js';

const unitDir = (sandbox: Sandbox): string => join(sandbox.destdir, 'etc', 'systemd', 'system');
const cronFile = (sandbox: Sandbox): string => join(sandbox.destdir, 'etc', 'cron.d', 'vhashify');
const wantsLink = (sandbox: Sandbox): string => join(unitDir(sandbox), 'timers.target.wants', 'vhashify-all.timer');

function pretendSystemd(sandbox: Sandbox): void {
  mkdirSync(join(sandbox.destdir, 'run', 'systemd', 'system'), { recursive: true });
}

function readJobLines(sandbox: Sandbox): string[] {
  return readFileSync(cronFile(sandbox), 'utf8').split('\n').filter((line) => /^[0-9*]/.test(line));
}

describe('the daily job', () => {
  it('is a systemd service and timer, enabled, when systemd is the init system; no cron line', () => {
    const sandbox = createSandbox();
    pretendSystemd(sandbox);
    const run = runInstaller(sandbox);
    assert.equal(run.status, 0, run.stderr);
    const service = readFileSync(join(unitDir(sandbox), 'vhashify-all.service'), 'utf8');
    const timer = readFileSync(join(unitDir(sandbox), 'vhashify-all.timer'), 'utf8');
    for (const line of [`ExecStart=${sandbox.target} --all`, 'Type=oneshot', 'Nice=19', 'CPUSchedulingPolicy=idle', 'IOSchedulingClass=idle',
      `ConditionPathIsDirectory=${sandbox.confdir}`]) {
      assert.ok(service.split('\n').includes(line), `service lacks ${line}`);
    }
    for (const line of ['OnCalendar=daily', 'Persistent=true', 'RandomizedDelaySec=1h', 'WantedBy=timers.target']) {
      assert.ok(timer.split('\n').includes(line), `timer lacks ${line}`);
    }
    assert.equal(readlinkSync(wantsLink(sandbox)), '../vhashify-all.timer');
    assert.equal(existsSync(cronFile(sandbox)), false);
  });

  it('passes systemd-analyze verify (when it is installed)', (t) => {
    if (spawnSync('systemd-analyze', ['--version']).error !== undefined) return t.skip('systemd-analyze is not installed (Debian: package systemd)');
    const sandbox = createSandbox();
    pretendSystemd(sandbox);
    assert.equal(runInstaller(sandbox).status, 0);
    // ExecStart's program (the launcher) exists; Documentation=man:vhashify(8) is found in the
    // sandbox's man directory.
    const verify = spawnSync('systemd-analyze', ['verify', join(unitDir(sandbox), 'vhashify-all.service'), join(unitDir(sandbox), 'vhashify-all.timer')], {
      encoding: 'utf8', env: { ...sandbox.env, MANPATH: join(sandbox.destdir, 'usr', 'local', 'share', 'man') },
    });
    assert.equal(verify.status, 0, verify.stderr);
    assert.equal(verify.stderr, '');
  });

  it('is one cron.d line otherwise: five time fields, root, the launcher with --all at idle priority; no units', () => {
    const sandbox = createSandbox();
    const run = runInstaller(sandbox);
    assert.equal(run.status, 0, run.stderr);
    const jobs = readJobLines(sandbox);
    assert.equal(jobs.length, 1);
    const fields = jobs[0]!.split(/\s+/);
    assert.equal(fields[5], 'root');
    assert.match(jobs[0]!, / \S*nice -n 19 \S*ionice -c 3 /);
    assert.ok(jobs[0]!.endsWith(` ${sandbox.target} --all`), jobs[0]);
    assert.match(readFileSync(cronFile(sandbox), 'utf8'), /^SHELL=\/bin\/sh$/m);
    assert.equal(existsSync(unitDir(sandbox)), false);
  });

  it('follows --init: from cron to systemd and back, the other one removed each time', () => {
    const sandbox = createSandbox();
    assert.equal(runInstaller(sandbox, ['--init', 'cron']).status, 0);
    const toSystemd = runInstaller(sandbox, ['--init', 'systemd']);
    assert.equal(toSystemd.status, 0, toSystemd.stderr);
    assert.match(toSystemd.stdout, new RegExp(`^removed ${cronFile(sandbox)}$`, 'm'));
    assert.equal(existsSync(cronFile(sandbox)), false);
    assert.ok(existsSync(join(unitDir(sandbox), 'vhashify-all.service')));
    assert.equal(runInstaller(sandbox, ['--init', 'cron']).status, 0);
    assert.equal(existsSync(join(unitDir(sandbox), 'vhashify-all.service')), false);
    assert.equal(existsSync(wantsLink(sandbox)), false);
    assert.equal(readJobLines(sandbox).length, 1);
    assert.equal(runInstaller(sandbox, ['--init', 'none']).status, 0);
    assert.equal(existsSync(cronFile(sandbox)), false);
  });

  it('is removed by --uninstall, units, link and directories made for them', () => {
    const sandbox = createSandbox();
    pretendSystemd(sandbox);
    const before = listTree(sandbox.destdir, [], false);
    assert.equal(runInstaller(sandbox).status, 0);
    const undo = runProgram(installerPath, ['--uninstall'], { ...sandbox.env, DESTDIR: sandbox.destdir });
    assert.equal(undo.status, 0, undo.stderr);
    assert.deepEqual(listTree(sandbox.destdir, [], false), before);
  });

  it('replaces the cron file earlier versions shipped for copying (it ran the removed vhashify-all)', () => {
    const sandbox = createSandbox();
    writeFileSync(cronFile(sandbox), '17 4 * * * root flock -n /run/vhashify-all.lock nice -n 19 ionice -c 3 /usr/local/lib/node_modules/vhashify/compat/vhashify-all >/dev/null\n');
    pretendSystemd(sandbox);
    const run = runInstaller(sandbox);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^removed ${cronFile(sandbox)} \\(an earlier version's job\\)$`, 'm'));
    assert.equal(existsSync(cronFile(sandbox)), false);
  });

  it('refuses, changing nothing, when a cron file of someone else is in the way', () => {
    const sandbox = createSandbox();
    writeFileSync(cronFile(sandbox), '0 1 * * * root /usr/local/bin/my-own-job\n');
    const before = listTree(sandbox.root);
    const run = runInstaller(sandbox);
    assert.equal(run.status, 1);
    assert.equal(run.stderr, `vhashify-install: ${cronFile(sandbox)} exists and was not written by vhashify-install; move it away (or use --init none)\n`);
    assert.deepEqual(listTree(sandbox.root), before);
  });
});
