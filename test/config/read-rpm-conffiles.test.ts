import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEFAULT_CONFFILE_LIMITS } from '../../src/config/conffile-limits.js';
import { GuestAccessError } from '../../src/config/guest-files.js';
import { openSysGuestRoot } from '../../src/config/sys-guest-files.js';
import { createRpmRunner, keepPathLines, readRpmConffiles, RpmConffilesError, type RpmRun, type RunRpm } from '../../src/config/read-rpm-conffiles.js';
import { plantSymlink, writeGuestFile } from './guest-tree.js';

const ok = (stdout: string): RpmRun => ({ exitCode: 0, stdout: Buffer.from(stdout), stderr: Buffer.alloc(0) });

function hasProgram(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

describe('keepPathLines', () => {
  it('keeps the lines that start with / (vpkg filters rpm output so)', () => {
    assert.equal(keepPathLines(Buffer.from('/etc/a\n(contains no files)\n /x\n/etc/b\n/last')).toString(), '/etc/a\n/etc/b\n/last');
  });
});

describe('readRpmConffiles', () => {
  const top = mkdtempSync(join(tmpdir(), 'vhashify-rpm-'));
  after(() => rmSync(top, { recursive: true, force: true }));
  const temp = join(top, 'tmp');
  mkdirSync(temp);
  let count = 0;
  const newRoot = (): string => {
    const root = join(top, `g${++count}`);
    mkdirSync(root);
    return root;
  };
  // A fake rpm that records what it was asked and what the database copy held.
  const recorder = (result: RpmRun): { runRpm: RunRpm; calls: Array<{ args: readonly string[]; files: string[] }> } => {
    const calls: Array<{ args: readonly string[]; files: string[] }> = [];
    return {
      calls,
      runRpm: async (args) => {
        calls.push({ args, files: readdirSync(args[1]!).sort() });
        return result;
      },
    };
  };
  const options = (runRpm: RunRpm) => ({ openRoot: openSysGuestRoot, runRpm, tempDir: temp, limits: DEFAULT_CONFFILE_LIMITS });
  const guestPlace = (root: string) => ({ kind: 'guest' as const, vdir: Buffer.from(root) });

  it('queries a copy of /var/lib/rpm with rpm --dbpath <copy> -qac and removes the copy', async () => {
    const root = newRoot();
    writeGuestFile(root, 'var/lib/rpm/Packages', 'bdb');
    writeGuestFile(root, 'var/lib/rpm/Name', 'bdb');
    writeGuestFile(root, 'var/lib/rpm/__db.001', 'env');
    const fake = recorder(ok('/etc/a.conf\n(contains no files)\n/etc/b.conf\n'));
    const rules = await readRpmConffiles(guestPlace(root), options(fake.runRpm));
    assert.deepEqual(rules.map((r) => [r.pattern.toString(), r.literal, r.line]), [
      ['/etc/a.conf', true, 1],
      ['/etc/b.conf', true, 2],
    ]);
    assert.equal(fake.calls.length, 1);
    assert.deepEqual([fake.calls[0]!.args[0], fake.calls[0]!.args[2]], ['--dbpath', '-qac']);
    assert.deepEqual(fake.calls[0]!.files, ['Name', 'Packages']);
    assert.deepEqual(readdirSync(temp), []);
  });

  it('prefers /usr/lib/sysimage/rpm and accepts /var/lib/rpm as a symlink to it (newer Fedora)', async () => {
    const root = newRoot();
    writeGuestFile(root, 'usr/lib/sysimage/rpm/rpmdb.sqlite', 'sqlite');
    writeGuestFile(root, 'usr/lib/sysimage/rpm/rpmdb.sqlite-shm', 'shm');
    writeGuestFile(root, 'usr/lib/sysimage/rpm/.rpm.lock', '');
    mkdirSync(join(root, 'var/lib'), { recursive: true });
    plantSymlink(root, 'var/lib/rpm', '../../usr/lib/sysimage/rpm');
    const fake = recorder(ok('/etc/x\n'));
    await readRpmConffiles(guestPlace(root), options(fake.runRpm));
    assert.deepEqual(fake.calls[0]!.files, ['rpmdb.sqlite']);
  });

  it('reads an external guest database from apps/pkgmgmt/rpmstate', async () => {
    const pkgmgmt = newRoot();
    writeGuestFile(pkgmgmt, 'rpmstate/Packages', 'bdb');
    const fake = recorder(ok('/etc/ext\n'));
    const rules = await readRpmConffiles({ kind: 'external', pkgmgmtDir: Buffer.from(pkgmgmt) }, options(fake.runRpm));
    assert.deepEqual(rules.map((r) => r.pattern.toString()), ['/etc/ext']);
  });

  it('fails without a database instead of letting rpm create an empty one', async () => {
    const root = newRoot();
    mkdirSync(join(root, 'var/lib/rpm'), { recursive: true });
    const fake = recorder(ok(''));
    await assert.rejects(readRpmConffiles(guestPlace(root), options(fake.runRpm)), (error: unknown) => {
      assert.ok(error instanceof RpmConffilesError);
      assert.equal(error.reason, 'no-database');
      assert.match(error.message, /no rpm database at .*\/usr\/lib\/sysimage\/rpm or .*\/var\/lib\/rpm/);
      return true;
    });
    assert.equal(fake.calls.length, 0);
    assert.deepEqual(readdirSync(temp), []);
  });

  it('refuses a planted symlink among the database files', async () => {
    const root = newRoot();
    writeGuestFile(root, 'var/lib/rpm/Packages', 'bdb');
    plantSymlink(root, 'var/lib/rpm/Basenames', '/etc/shadow');
    await assert.rejects(readRpmConffiles(guestPlace(root), options(recorder(ok('')).runRpm)), (error: unknown) => {
      assert.ok(error instanceof GuestAccessError);
      assert.equal(error.code, 'symlink');
      return true;
    });
    assert.deepEqual(readdirSync(temp), []);
  });

  it('says when the host has no rpm, and when rpm fails', async () => {
    const root = newRoot();
    writeGuestFile(root, 'var/lib/rpm/Packages', 'bdb');
    const missing: RunRpm = async () => ({ exitCode: undefined, spawnError: 'ENOENT', stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) });
    await assert.rejects(readRpmConffiles(guestPlace(root), options(missing)), { reason: 'no-rpm' });
    const failing: RunRpm = async () => ({ exitCode: 1, stdout: Buffer.alloc(0), stderr: Buffer.from('error: cannot open Packages index\n') });
    await assert.rejects(readRpmConffiles(guestPlace(root), options(failing)), (error: unknown) => {
      assert.ok(error instanceof RpmConffilesError);
      assert.equal(error.reason, 'rpm-failed');
      assert.match(error.message, /exit status 1: error: cannot open Packages index/);
      return true;
    });
  });

  it('reports a program that does not exist as ENOENT through the execa runner', async () => {
    const run = await createRpmRunner(join(top, 'no-such-rpm'))(['-q']);
    assert.equal(run.exitCode, undefined);
    assert.equal(run.spawnError, 'ENOENT');
  });

  it('lists the %config files of a real rpm database with the host rpm', async (t) => {
    if (!hasProgram('rpm') || !hasProgram('rpmbuild')) {
      t.skip('rpm and rpmbuild are not installed on this host (apt-get install rpm)');
      return;
    }
    const build = join(top, 'rpmbuild');
    writeGuestFile(
      build,
      'SPECS/vhtest.spec',
      [
        'Name: vhtest',
        'Version: 1',
        'Release: 1',
        'Summary: test package',
        'License: GPL',
        'BuildArch: noarch',
        '%description',
        'test',
        '%install',
        'mkdir -p %{buildroot}/etc %{buildroot}/usr/share/vh',
        'echo a > %{buildroot}/etc/vh.conf',
        'echo b > %{buildroot}/usr/share/vh/data.conf',
        'echo c > %{buildroot}/usr/share/vh/plain',
        '%files',
        '%config /etc/vh.conf',
        '%config(noreplace) /usr/share/vh/data.conf',
        '/usr/share/vh/plain',
        '',
      ].join('\n'),
    );
    const built = spawnSync('rpmbuild', ['--define', `_topdir ${build}`, '--define', '_build_id_links none', '-bb', join(build, 'SPECS/vhtest.spec')], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    const root = newRoot();
    const db = join(root, 'var/lib/rpm');
    mkdirSync(db, { recursive: true });
    const pkg = join(build, 'RPMS/noarch/vhtest-1-1.noarch.rpm');
    const installed = spawnSync('rpm', ['--dbpath', db, '-i', '--justdb', '--nodeps', '--noscripts', pkg], { encoding: 'utf8' });
    assert.equal(installed.status, 0, installed.stderr);
    const before = readFileSync(join(db, 'rpmdb.sqlite'));
    const rules = await readRpmConffiles(guestPlace(root), options(createRpmRunner()));
    assert.deepEqual(rules.map((r) => r.pattern.toString()), ['/etc/vh.conf', '/usr/share/vh/data.conf']);
    // The guest's database was only read.
    assert.deepEqual(readFileSync(join(db, 'rpmdb.sqlite')), before);
    assert.deepEqual(readdirSync(temp), []);
    assert.equal(existsSync(join(root, 'tmp')), false);
  });
});
