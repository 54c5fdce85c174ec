// --check: each planted misconfiguration is found (exit 1) with where and how to fix it; notes leave
// the exit status 0; a clean installation with the packaged default list and a policy this host can
// apply checks clean; nothing is changed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findStorageRoots } from '../../src/store/storage-roots.js';
import { hasVserverKernel } from '../../src/unify/vserver-protection.js';
import { binPath } from '../support/paths.js';
import { createTmpfsAt } from '../store/tmpfs-fixture.js';
import { listTree } from '../unify/file-fixture.js';
import { createOperatorSandbox, type OperatorSandbox } from './operator-sandbox.js';

const FILES = { 'usr/bin/tool': 'a shared program of more than sixteen bytes\n', 'etc/passwd': 'root:x:0:0::/root:/bin/sh\n' };
const sandboxes: OperatorSandbox[] = [];
const mounts: string[] = [];

after(() => {
  for (const dir of mounts.reverse()) spawnSync('umount', ['-l', dir]);
  for (const s of sandboxes) s.remove();
});

/** A clean installation with guest g1 (packaged default list, policy immutable). */
function createClean(): OperatorSandbox {
  const s = createOperatorSandbox('vhashify-check-');
  sandboxes.push(s);
  s.addConfiguredGuest('g1', FILES);
  return s;
}

function mountTmpfs(dir: string): void {
  mkdirSync(dir, { recursive: true });
  createTmpfsAt(dir);
  mounts.push(dir);
}

const CLEAN = 'vhashify --check: no findings (checked 1 guest, 1 hash directory, 1 exclude list)\n';

/** The guest's own exclude list with this content; returns its path. */
function writeGuestList(s: OperatorSandbox, content: string | Buffer): string {
  const list = join(s.confDir, 'g1', 'apps', 'vunify', 'exclude');
  writeFileSync(list, content);
  return list;
}

describe('--check on a clean installation', () => {
  it('finds nothing for one guest and for --all, using the packaged default list and the immutable policy', async () => {
    const s = createClean();
    const one = await s.run(['--check', 'g1']);
    assert.equal(one.stderr, '');
    assert.equal(one.stdout, CLEAN);
    assert.equal(one.code, 0);
    const all = await s.run(['--check', '--all']);
    assert.equal(all.stdout, CLEAN);
    assert.equal(all.code, 0);
  });

  it('changes nothing: no configuration file, no cache, no scratch file, no flag', async () => {
    const s = createClean();
    const before = listTree(s.top);
    assert.equal((await s.run(['--check', '--all'])).code, 0);
    assert.equal((await s.run(['--check', 'g1'])).code, 0);
    assert.deepEqual(listTree(s.top), before);
  });

  it('finds nothing in manual mode with the packaged list and a hash dir of its own', async () => {
    const s = createClean();
    const run = await s.run(['--check', '--manually', '--destination', s.hashDir, join(s.vserverDir, 'g1'), s.packagedList]);
    assert.equal(run.stdout, 'vhashify --check: no findings (checked 1 hash directory, 1 exclude list)\n');
    assert.equal(run.code, 0);
  });
});

describe('--check finds each syntactic exclude-line problem, with file and line', () => {
  it('a carriage return at the end of a line (CRLF file, QUIRK Q11)', async () => {
    const s = createClean();
    const list = writeGuestList(s, '/etc\r\n/var\r\n');
    const run = await s.run(['--check', 'g1']);
    assert.equal(run.code, 1);
    assert.ok(run.stdout.startsWith(
      `${list}:1: finding: the line '/etc\\r' ends in a carriage return (CRLF line ends), which stays in the pattern, so it never matches (QUIRK Q11)\n`
      + `  fix: sed -i 's/[[:space:]]*$//' ${list}\n`
      + `${list}:2: finding: the line '/var\\r' ends in a carriage return`,
    ), run.stdout);
    assert.match(run.stdout, /\nvhashify --check: 2 findings \(checked 1 guest, 1 hash directory, 2 exclude lists\)\n$/);
  });

  it('a last line without a newline (QUIRK Q09)', async () => {
    const s = createClean();
    const list = writeGuestList(s, '/etc\n/var');
    const run = await s.run(['--check', 'g1']);
    assert.equal(run.code, 1);
    assert.ok(run.stdout.startsWith(`${list}:2: finding: the last line '/var' has no newline at its end, so it is ignored (QUIRK Q09)\n  fix: echo >> ${list}\n`), run.stdout);
  });

  it('a line under two bytes (QUIRK Q12)', async () => {
    const s = createClean();
    const list = writeGuestList(s, '/etc\n*\n');
    const run = await s.run(['--check', 'g1']);
    assert.equal(run.code, 1);
    assert.ok(run.stdout.startsWith(`${list}:2: finding: the line '*' is shorter than two bytes, so it is dropped (QUIRK Q12)\n`), run.stdout);
  });

  it('leading spaces', async () => {
    const s = createClean();
    const list = writeGuestList(s, '/etc\n  /var\n');
    const run = await s.run(['--check', 'g1']);
    assert.equal(run.code, 1);
    assert.ok(run.stdout.startsWith(`${list}:2: finding: the pattern of '  /var' starts with a blank, which is part of the pattern, so it never matches: paths start with '/'\n`), run.stdout);
  });

  it('a NUL byte (QUIRK Q10)', async () => {
    const s = createClean();
    const list = writeGuestList(s, Buffer.from('/etc\n/v\0ar\n/tmp\n'));
    const run = await s.run(['--check', 'g1']);
    assert.equal(run.code, 1);
    assert.ok(run.stdout.startsWith(`${list}:2: finding: the line '/v\\0ar' holds a NUL byte, so it and the line after it are ignored (QUIRK Q10)\n`), run.stdout);
  });

  it('notes a line an earlier line shadows, and leaves the exit status 0', async () => {
    const s = createClean();
    const list = writeGuestList(s, '/usr/*\n+/usr/bin/tool\n');
    const run = await s.run(['--check', 'g1']);
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.stdout, `${list}:2: note: '+/usr/bin/tool' never decides anything: line 1 '/usr/*' matches every path it matches, and comes first (the first match decides)\n`
      + 'vhashify --check: no findings, 1 note (checked 1 guest, 1 hash directory, 2 exclude lists)\n');
  });

  it('a missing packaged default list', async () => {
    const s = createClean();
    rmSync(s.packagedList);
    const run = await s.run(['--check', 'g1']);
    assert.equal(run.code, 1);
    assert.match(run.stdout, new RegExp(`^${s.packagedList}: finding: the exclude list cannot be read \\(No such file or directory\\): a real run refuses to start`));
    assert.match(run.stdout, new RegExp(`\n {2}fix: restore the packaged default list \\(guests without a list of their own use it\\): cp \\S+/compat/vunify-exclude ${s.packagedList}\n`));
  });
});

/** Runs `sh -c FIX` as an admin would paste it. */
function runFix(stdout: string): void {
  const fix = /^ {2}fix: [^:]+: (.*)$/m.exec(stdout)?.[1];
  assert.ok(fix !== undefined, stdout);
  const result = spawnSync('/bin/sh', ['-c', fix], { encoding: 'utf8' });
  assert.equal(result.status, 0, `${fix}\n${result.stderr}`);
}

describe("--check finds a hash dir conflated with its storage (the '00' case), and its fix works", () => {
  it('the hash dir is a symlink to the store: the commands give the configuration a directory and the store an entry', async () => {
    const s = createClean();
    // As it happens: `.../hash -> /vservers/.hash`, and runs filled it with configuration and digest directories.
    rmSync(s.hashDir, { recursive: true });
    symlinkSync(s.store, s.hashDir);
    for (const dir of ['00/1f', 'ab/cd']) mkdirSync(join(s.store, dir), { recursive: true });
    writeFileSync(join(s.store, 'method'), 'sha256\n');
    writeFileSync(join(s.store, 'protect'), 'immutable\n');
    const run = await s.run(['--check', 'g1']);
    assert.equal(run.code, 1);
    assert.ok(run.stdout.startsWith(
      `${s.hashDir}: finding: the hash dir '${s.hashDir}' holds digest directories ('00', 'ab'...): earlier runs used it as a storage root, `
      + 'so configuration and storage are one directory (the cause of "Duplicate hash-dir entry \'00\' found")\n'
      + `  fix: give the configuration a directory of its own and make the store its entry: rm ${s.hashDir} && mkdir ${s.hashDir}`
      + ` && mv ${s.store}/method ${s.store}/protect ${s.hashDir}/ && ln -s ${s.store} ${s.hashDir}/root\n`,
    ), run.stdout);
    assert.ok(!run.stdout.includes('Duplicate hash-dir entry \'ab\''), 'one finding, not one per digest directory');
    runFix(run.stdout);
    const fixed = await s.run(['--check', 'g1']);
    assert.equal(fixed.stdout, CLEAN);
  });

  it('manual mode with the store as --destination: the commands move the digest directories into an entry', async () => {
    const s = createClean();
    const store = join(s.top, 'manual-store');
    for (const dir of ['00/1f', 'e3/b0']) mkdirSync(join(store, dir), { recursive: true });
    writeFileSync(join(store, 'protect'), 'none\n');
    const argv = ['--check', '--manually', '--destination', store, join(s.vserverDir, 'g1'), s.packagedList];
    const run = await s.run(argv);
    assert.equal(run.code, 1);
    assert.ok(run.stdout.startsWith(`${store}: finding: the hash dir '${store}' holds digest directories ('00', 'e3'...)`), run.stdout);
    assert.ok(run.stdout.includes(`\n  fix: move them into an entry of their own (on one file system, so nothing is copied): cd ${store} && mkdir -m 700 store && mv [0-9a-f][0-9a-f] store/\n`), run.stdout);
    runFix(run.stdout);
    const fixed = await s.run(argv);
    assert.equal(fixed.code, 0, fixed.stdout);
  });
});

describe('--check finds storage roots and guests that do not fit', () => {
  it('a file system a guest lives on without a storage root: its root, and a mount point the walk reaches', async () => {
    const s = createClean();
    const root = join(s.vserverDir, 'g1');
    mountTmpfs(join(root, 'srv'));
    mountTmpfs(join(root, 'proc')); // excluded by the default list: not a finding
    const run = await s.run(['--check', 'g1']);
    assert.equal(run.code, 1);
    assert.match(run.stdout, new RegExp(`^guest 'g1': finding: has files on a file system \\(device \\d+:\\d+, the mount point '/srv'\\) on which the hash dir '${s.hashDir}' has no storage root, so a run skips them as 'no matching device'\n`));
    assert.ok(!run.stdout.includes("'/proc'"), run.stdout);

    const other = createClean();
    const tree = join(other.vserverDir, 'g1');
    renameSync(tree, `${tree}.files`);
    mountTmpfs(tree);
    const moved = await other.run(['--check', 'g1']);
    assert.equal(moved.code, 1);
    assert.match(moved.stdout, /^guest 'g1': finding: has files on a file system \(device \d+:\d+, its root\) on which the hash dir /);
  });

  it('duplicate storage roots', async () => {
    const s = createClean();
    symlinkSync(s.store, join(s.hashDir, 'again'));
    // Which of the two comes first is the directory's order, as for a run.
    const found = findStorageRoots(s.hashDir);
    assert.ok(!('error' in found));
    const [used] = found.roots.map((r) => r.name.toString());
    const [ignored] = found.duplicates.map(String);
    const run = await s.run(['--check', 'g1']);
    assert.equal(run.code, 1);
    assert.ok(run.stdout.startsWith(
      `${s.hashDir}: finding: the entry '${ignored}' leads to the same file system as '${used}', which comes first in the directory and is used; it is ignored, and every run prints "Duplicate hash-dir entry '${ignored}' found"\n`
      + `  fix: rm ${s.hashDir}/${ignored}\n`,
    ), run.stdout);
  });

  it('a named guest without apps/vunify, which --all only notes', async () => {
    const s = createClean();
    s.addConfiguredGuest('g2', FILES, { appdir: false });
    const named = await s.run(['--check', 'g2']);
    assert.equal(named.code, 1);
    const appdir = join(s.confDir, 'g2', 'apps', 'vunify');
    assert.ok(named.stdout.startsWith(`guest 'g2': finding: has no '${appdir}', so hashify refuses it (QUIRK Q05; --all leaves it out)\n  fix: mkdir -p ${appdir}\n`), named.stdout);
    const all = await s.run(['--check', '--all']);
    assert.equal(all.code, 0, all.stdout);
    assert.equal(all.stdout, `guest 'g2': note: --all leaves it out: it has no apps/vunify directory (that is how a guest opts in)\n  fix: to include it: mkdir -p ${appdir}\n`
      + 'vhashify --check: no findings, 1 note (checked 1 guest, 1 hash directory, 1 exclude list)\n');
  });

  it('a guest without any hash directory', async () => {
    const s = createClean();
    rmSync(s.hashDir, { recursive: true });
    const run = await s.run(['--check', 'g1']);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^guest 'g1': finding: has no hash directory \(no hash-directory configured for this vserver\.\)\n {2}fix: mkdir -p /);
  });
});

describe('--check finds a protection policy this host cannot apply', () => {
  it("'auto' on a kernel without Linux-VServer", async (t) => {
    if (hasVserverKernel()) return t.skip('this kernel has Linux-VServer support');
    const s = createClean();
    rmSync(join(s.hashDir, 'protect'));
    const run = await s.run(['--check', 'g1']);
    assert.equal(run.code, 1);
    assert.ok(run.stdout.startsWith(`${s.hashDir}: finding: this kernel has no Linux-VServer support, so shared files cannot get the immutable-but-unlinkable attributes upstream relies on.\n  Choose a protection policy:`), run.stdout);
  });

  it("'vserver' on a kernel without Linux-VServer", async (t) => {
    if (hasVserverKernel()) return t.skip('this kernel has Linux-VServer support');
    const s = createClean();
    const run = await s.run(['--protect', 'vserver', '--check', 'g1']);
    assert.equal(run.code, 1);
    assert.ok(run.stdout.startsWith(`${s.hashDir}: finding: protection 'vserver' (the command line) on a kernel without Linux-VServer support: every file is skipped as 'operation not supported', so nothing is shared\n`), run.stdout);
  });

  it("'immutable' without the capability to set the flag (a container, a reduced capability set)", () => {
    const s = createClean();
    const child = spawnSync('setpriv', ['--bounding-set', '-linux_immutable', '--', process.execPath, binPath, '--check', 'g1'], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', UTIL_VSERVER_VARS: s.varsFile, VHASHIFY_CACHE_DIR: s.cache, VHASHIFY_HINTS: '0' },
      encoding: 'utf8',
    });
    assert.equal(child.status, 1, child.stderr);
    assert.ok(child.stdout.startsWith(`${s.hashDir}/root/: finding: protection 'immutable' (${s.hashDir}/protect) cannot be applied: this storage root does not take the immutable flag (FS_IOC_SETFLAGS: Operation not permitted)\n`
      + '  fix: Setting the immutable flag needs the CAP_LINUX_IMMUTABLE capability'), child.stdout);
  });

  it("notes the 'none' policy and leaves the exit status 0", async () => {
    const s = createClean();
    const run = await s.run(['--protect', 'none', '--check', 'g1']);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, `${s.hashDir}: note: protection 'none' (the command line): shared files are plain hard links, so an in-place write in one guest shows in every guest that shares the file; for trusted guests only\n`
      + 'vhashify --check: no findings, 1 note (checked 1 guest, 1 hash directory, 1 exclude list)\n');
  });
});
