// A hold that --unshared placed is reported by --check and --overview: a hold left by a run that
// did not finish (its process is gone) is a finding with the command that clears it; a live one is
// a note. Both keep the guest out of --all, which the reports say.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { placeHold } from '../../src/config/guest-hold.js';
import { createOperatorSandbox, type OperatorSandbox } from './operator-sandbox.js';

const FILES = { 'usr/bin/tool': 'a shared program of more than sixteen bytes\n' };
const sandboxes: OperatorSandbox[] = [];
after(() => {
  for (const s of sandboxes) s.remove();
});

function createHeldGuest(): { s: OperatorSandbox; holdFile: string } {
  const s = createOperatorSandbox('vhashify-hold-');
  sandboxes.push(s);
  s.addConfiguredGuest('g1', FILES);
  return { s, holdFile: join(s.confDir, 'g1', 'apps', 'vunify', 'hold') };
}

/** What a crashed --unshared leaves: the hold of a process that has exited. */
function writeCrashedHold(holdFile: string): number {
  const gone = spawnSync('sh', ['-c', 'echo $$']);
  const pid = Number(gone.stdout.toString().trim());
  writeFileSync(holdFile, `pid=${pid}\nhost=${hostname()}\nuser=root\nsince=2026-11-30T10:00:00.000Z\nstarted=1\ncommand=apt-get -y upgrade\n`);
  return pid;
}

describe('a hold left by a run that did not finish', () => {
  it('is a --check finding with the command that clears it (exit status 1)', async () => {
    const { s, holdFile } = createHeldGuest();
    const pid = writeCrashedHold(holdFile);
    const run = await s.run(['--check', 'g1']);
    assert.equal(run.code, 1, run.stdout);
    assert.equal(run.stdout,
      `guest 'g1': finding: has a hold left by a run that did not finish (pid ${pid} on ${hostname()} (root) since 2026-11-30T10:00:00.000Z, for: apt-get -y upgrade): --all and the daily job skip the guest\n`
      + `  fix: once nothing changes the guest any more: rm ${holdFile} && vserver g1 hashify\n`
      + 'vhashify --check: 1 finding (checked 1 guest, 1 hash directory, 1 exclude list)\n');
  });

  it('is shown by --overview, as text and as JSON', async () => {
    const { s, holdFile } = createHeldGuest();
    const pid = writeCrashedHold(holdFile);
    const text = await s.run(['--overview', 'g1']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`\\n  hold +left by a run that did not finish \\(pid ${pid} on [^\\n]*\\); --all skips the guest until it is removed: rm '${holdFile}'\\n`));
    const json = await s.run(['--overview', '--json', 'g1']);
    const guest = (JSON.parse(json.stdout) as { guests: Array<Record<string, unknown>> }).guests[0]!;
    assert.deepEqual(guest['hold'], { path: holdFile, pid, host: hostname(), user: 'root', since: '2026-11-30T10:00:00.000Z', command: 'apt-get -y upgrade', stale: true });
  });
});

describe('a live hold', () => {
  it('is a --check note (exit status 0) and an --overview row; a guest without one has hold null', async () => {
    const { s } = createHeldGuest();
    const none = await s.run(['--overview', '--json', 'g1']);
    assert.equal((JSON.parse(none.stdout) as { guests: Array<Record<string, unknown>> }).guests[0]!['hold'], null);
    assert.deepEqual(placeHold(Buffer.from(join(s.confDir, 'g1')), 'vserver g1 exec apt-get -y upgrade'), { ok: true });
    const check = await s.run(['--check', 'g1']);
    assert.equal(check.code, 0, check.stdout);
    assert.match(check.stdout, new RegExp(`^guest 'g1': note: is held \\(pid ${process.pid} on [^\\n]*, for: vserver g1 exec apt-get -y upgrade\\): --all and the daily job skip the guest until the command ends\\n`));
    const overview = await s.run(['--overview', 'g1']);
    assert.match(overview.stdout, new RegExp(`\\n  hold +pid ${process.pid} on [^\\n]*; --all skips the guest until the command ends\\n`));
  });
});
