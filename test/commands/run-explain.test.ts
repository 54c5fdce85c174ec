// --explain PATH: the entry that decides (file and line), and what a run would do, in vserver mode,
// through the vserver wrapper and in manual mode; nothing is changed.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '../support/run-cli.js';
import { binPath, vserverStandInPath } from '../support/paths.js';
import { hasVserverKernel } from '../../src/unify/vserver-protection.js';
import { listTree } from '../unify/file-fixture.js';
import { createOperatorSandbox, type OperatorSandbox } from './operator-sandbox.js';

const TOOL = 'a shared program of more than sixteen bytes\n';
let s: OperatorSandbox;
let g1: { cfgdir: string; root: string };

before(() => {
  s = createOperatorSandbox('vhashify-explain-');
  // g1: a Debian guest (its conffiles come first) with the packaged default list.
  g1 = s.addConfiguredGuest('g1', {
    'etc/debian_version': '12.5\n',
    'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n',
    'var/lib/dpkg/info/base-files.conffiles': '/etc/issue\n/usr/share/base-files/motd\n',
    'usr/share/base-files/motd': 'The programs included with Debian are free software\n',
    'usr/bin/tool': TOOL,
    'usr/bin/tiny': 'small\n',
    'var/log/syslog': 'a log line of some length\n',
  }, { packages: true });
  symlinkSync('usr/bin', join(g1.root, 'bin'));
  // g2: its own list, where a + line comes before an exclude that would match the same path.
  const g2 = s.addConfiguredGuest('g2', { 'usr/bin/tool': TOOL, 'usr/bin/other': 'another program of sixteen bytes\n' });
  writeFileSync(join(g2.cfgdir, 'apps', 'vunify', 'exclude'), '# mine\n+/usr/bin/tool\n/usr/bin/*\n');
});
after(() => s?.remove());

function findLine(stdout: string, start: string): string | undefined {
  return stdout.split('\n').find((line) => line.startsWith(start));
}

describe('--explain in vserver mode', () => {
  it("names the packaged default list and its line for /etc/passwd, and upstream's skip line", async () => {
    const run = await s.run(['--protect', 'none', '--explain', '/etc/passwd', 'g1']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.equal(findLine(run.stdout, "'/etc/passwd'"), `'/etc/passwd': a regular file, excluded by '${s.packagedList}' line 4: ~/etc/passwd`);
    assert.equal(findLine(run.stdout, "'/etc'"), "'/etc': a directory, included: no entry of the lists matches it (the default); the walk enters it");
    assert.equal(findLine(run.stdout, 'outcome:'), 'outcome: skipped (excluded): hashify leaves it alone');
    assert.equal(findLine(run.stdout, 'output'), "output (-vv):   skipping '/etc/passwd' (excluded)");
    assert.ok(run.stdout.startsWith(`explain: '/etc/passwd' in guest 'g1' (root '${g1.root}')\n`), run.stdout);
  });

  it("names the guest's package configuration file list (dpkg) and its line", async () => {
    const run = await s.run(['--protect', 'none', '--explain', '/usr/share/base-files/motd', 'g1']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(findLine(run.stdout, 'lists:') ?? '', /^lists: 2 package configuration files \(debian\), then '.*\/vunify-exclude' \(27 entries\);/);
    assert.equal(
      findLine(run.stdout, "'/usr/share/base-files/motd'"),
      `'/usr/share/base-files/motd': a regular file, excluded: it is a package's configuration file (${g1.root}/var/lib/dpkg/info/base-files.conffiles line 2)`,
    );
  });

  it("names the guest's own list: a + line decides before a later exclude line, which decides the rest", async () => {
    const list = join(s.confDir, 'g2', 'apps', 'vunify', 'exclude');
    const included = await s.run(['--protect', 'none', '--explain', '/usr/bin/tool', 'g2']);
    assert.equal(findLine(included.stdout, "'/usr/bin/tool'"), `'/usr/bin/tool': a regular file, included by '${list}' line 2: +/usr/bin/tool`);
    const excluded = await s.run(['--protect', 'none', '--explain', '/usr/bin/other', 'g2']);
    assert.equal(findLine(excluded.stdout, "'/usr/bin/other'"), `'/usr/bin/other': a regular file, excluded by '${list}' line 3: /usr/bin/*`);
  });

  it('names the .defaults list when the guest has none of its own', async () => {
    const defaults = join(s.confDir, '.defaults', 'apps', 'vunify', 'exclude');
    writeFileSync(defaults, '/usr/share\n/usr/bin/tool\n');
    try {
      const run = await s.run(['--protect', 'none', '--explain', '/usr/bin/tool', 'g1']);
      assert.equal(findLine(run.stdout, "'/usr/bin/tool'"), `'/usr/bin/tool': a regular file, excluded by '${defaults}' line 2: /usr/bin/tool`);
    } finally {
      rmSync(defaults);
    }
  });

  it('says a file below an excluded directory, or behind a symbolic link, is never reached', async () => {
    const below = await s.run(['--protect', 'none', '--explain', '/var/log/syslog', 'g1']);
    assert.equal(findLine(below.stdout, "'/var'"), `'/var': a directory, excluded by '${s.packagedList}' line 26: /var`);
    assert.equal(findLine(below.stdout, 'outcome:'), "outcome: never reached: the walk does not enter the excluded directory '/var', so nothing below it is hashified");
    assert.equal(findLine(below.stdout, "'/var/log'"), undefined);
    const link = await s.run(['--protect', 'none', '--explain', '/bin/tool', 'g1']);
    assert.equal(findLine(link.stdout, 'outcome:'), "outcome: never reached: '/bin' is a symbolic link to 'usr/bin', and the walk never follows links; explain the path it leads to inside the tree instead");
  });

  it('gives the skip reason of a file the list includes', async () => {
    const run = await s.run(['--protect', 'none', '--explain', '/usr/bin/tiny', 'g1']);
    assert.equal(findLine(run.stdout, 'outcome:'), 'outcome: skipped (too small): files under 16 bytes are never hashified');
    assert.equal(findLine(run.stdout, 'output'), "output (-vv):   skipping '/usr/bin/tiny' (too small)");
  });

  it('changes nothing: no configuration file, store entry, cache or flag, and no change in the guest', async () => {
    const before = listTree(s.top);
    for (const path of ['/usr/bin/tool', '/etc/passwd', '/var/log/syslog', '/', '/nowhere']) {
      const run = await s.run(['--protect', 'immutable', '--explain', path, 'g1']);
      assert.equal(run.code, 0, run.stderr);
    }
    assert.deepEqual(listTree(s.top), before);
  });

  it('predicts the store entry a run then links the file to, and calls it already unified afterwards', async () => {
    const explained = await s.run(['--protect', 'none', '--explain', '/usr/bin/tool', 'g1']);
    const predicted = /^outcome: a new store entry '([^']+)'/m.exec(explained.stdout)?.[1];
    assert.ok(predicted !== undefined, explained.stdout);
    assert.ok(predicted.startsWith(`${s.hashDir}/root/`));
    const hashify = await s.run(['--protect', 'none', '-vvvv', 'g1']);
    assert.equal(hashify.code, 0, hashify.stderr);
    assert.ok(hashify.stdout.includes(`unifying   '/usr/bin/tool' (to '${predicted}')\n`), hashify.stdout);
    const output = findLine(explained.stdout, 'output');
    assert.equal(output, `output (-vvvv): unifying   '/usr/bin/tool' (to '${predicted}')`);

    const again = await s.run(['--protect', 'none', '--explain', '/usr/bin/tool', 'g1']);
    assert.match(findLine(again.stdout, 'outcome:') ?? '', /^outcome: skipped \(already unified\): /);
    const refreshed = await s.run(['--protect', 'none', '--refresh', '--explain', '/usr/bin/tool', 'g1']);
    assert.equal(findLine(refreshed.stdout, 'outcome:'), `outcome: skipped (already unified): it is the store entry '${predicted}'`);
    const twin = await s.run(['--protect', 'none', '--explain', '/usr/bin/tool', 'g2']);
    assert.equal(findLine(twin.stdout, 'outcome:'), `outcome: linked to the existing store entry '${predicted}' (same attributes, and the bytes compare equal)`);
  });

  it('lists what would stop a run: here the protection policy auto on a kernel without Linux-VServer', async (t) => {
    if (hasVserverKernel()) return t.skip('this kernel has Linux-VServer support');
    rmSync(join(s.hashDir, 'protect'));
    try {
      const run = await s.run(['--explain', '/etc/passwd', 'g1']);
      assert.equal(run.code, 0);
      assert.match(run.stdout, /^problem: a run stops before it changes anything: this kernel has no Linux-VServer support, /m);
      assert.match(run.stdout, /^ {2}Set it with --protect POLICY or write the word into .*\/hash\/protect\.$/m);
      assert.equal(findLine(run.stdout, 'outcome:'), 'outcome: skipped (excluded): hashify leaves it alone');
    } finally {
      writeFileSync(join(s.hashDir, 'protect'), 'immutable\n');
    }
  });

  it('refuses a guest it cannot resolve, as a run does', async () => {
    const run = await s.run(['--explain', '/etc/passwd', 'nosuch']);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, 'Failed to initialize unification for vserver\n');
  });
});

describe('--explain through the vserver wrapper', () => {
  it('vserver g1 hashify --explain /etc/passwd gives the explanation vhashify --explain /etc/passwd g1 gives', async () => {
    const launcher = join(s.top, 'usr', 'lib', 'util-vserver', 'vhashify');
    writeFileSync(launcher, `#!/bin/sh\nexec '${process.execPath}' '${binPath}' "$@"\n`);
    chmodSync(launcher, 0o755);
    const env = { UTIL_VSERVER_VARS: s.varsFile, VHASHIFY_CACHE_DIR: s.cache };
    const wrapped = await runCommand(['/bin/bash', vserverStandInPath, 'g1', 'hashify', '--protect', 'none', '--explain', '/etc/passwd'], { env });
    assert.equal(wrapped.stderr.toString(), '');
    assert.equal(wrapped.exitCode, 0);
    const direct = await s.run(['--protect', 'none', '--explain', '/etc/passwd', 'g1']);
    assert.equal(wrapped.stdout.toString(), direct.stdout);
  });
});

describe('--explain in manual mode', () => {
  it('names the exclude list given and its line, and the store entry a run would make', async () => {
    const tree = join(s.top, 'tree');
    mkdirSync(join(tree, 'opt'), { recursive: true });
    writeFileSync(join(tree, 'opt', 'app'), 'an application file, long enough\n');
    const list = join(s.top, 'manual-exclude');
    writeFileSync(list, '/etc\n+/opt/app\n/opt/*\n');
    const run = await s.run(['--manually', '--destination', s.hashDir, '--protect', 'none', '--explain', '/opt/app', tree, list]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stdout.startsWith(`explain: '/opt/app' in the tree '${tree}' (manual mode)\nlists: '${list}' (3 entries);`), run.stdout);
    assert.equal(findLine(run.stdout, "'/opt/app'"), `'/opt/app': a regular file, included by '${list}' line 2: +/opt/app`);
    assert.match(findLine(run.stdout, 'outcome:') ?? '', new RegExp(`^outcome: a new store entry '${s.hashDir}/root/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{60}-00000000': a copy of it becomes the entry`));
  });

  it('says what an unreadable exclude list means instead of explaining with it silently', async () => {
    const tree = join(s.top, 'tree');
    const run = await s.run(['--manually', '--destination', s.hashDir, '--protect', 'none', '--explain', '/opt/app', tree, join(s.top, 'missing-list')]);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^problem: a run stops before it changes anything: the exclude list '.*missing-list' cannot be read \(No such file or directory\): a real run refuses to start; a dry run includes everything \(QUIRK Q08\)$/m);
  });
});
