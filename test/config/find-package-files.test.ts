import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findPackageFiles, splitPathLines, type PackageFiles } from '../../src/config/find-package-files.js';
import type { RpmRun, RunRpm } from '../../src/config/read-rpm-conffiles.js';
import { resolveGuest, type Guest } from '../../src/config/resolve-guest.js';
import { plantSymlink, writeGuestFile } from './guest-tree.js';
import { createSandboxInstallation } from './sandbox-installation.js';

describe('findPackageFiles', () => {
  const box = createSandboxInstallation('vhashify-package-files-');
  after(() => box.remove());
  let count = 0;
  const newGuest = (files: Record<string, string>): Guest => {
    const name = `g${++count}`;
    const { root } = box.addGuest(name);
    for (const [path, content] of Object.entries(files)) writeGuestFile(root, path, content);
    const result = resolveGuest(box.inst, name, { cwd: '/', env: {} });
    if (!result.ok) throw new Error(result.failure.kind);
    return result.guest;
  };
  const show = (found: PackageFiles): string[] | string => (found.ok ? found.paths.map(String) : found.message.toString());
  const b = (s: string): Buffer => Buffer.from(s);

  it('reads a Debian guest\'s NAME.list, or its NAME:ARCH.list, in list order', async () => {
    const guest = newGuest({
      'etc/debian_version': '12\n',
      'var/lib/dpkg/info/foo.list': '/.\n/usr\n/usr/share/foo/a\n/usr/share/foo/b\n',
      'var/lib/dpkg/info/libbar1:amd64.list': '/usr/lib/x86_64-linux-gnu/libbar.so.1\n',
      'var/lib/dpkg/info/libbar1:amd64.md5sums': 'not a list\n',
    });
    assert.deepEqual(show(await findPackageFiles(guest, [b('foo'), b('libbar1')])), [
      '/.', '/usr', '/usr/share/foo/a', '/usr/share/foo/b', '/usr/lib/x86_64-linux-gnu/libbar.so.1',
    ]);
    assert.deepEqual(show(await findPackageFiles(guest, [b('libbar1:amd64')])), ['/usr/lib/x86_64-linux-gnu/libbar.so.1']);
  });

  it('names a package that is not installed, and refuses a name that is none', async () => {
    const guest = newGuest({ 'etc/debian_version': '12\n', 'var/lib/dpkg/info/foo.list': '/usr\n' });
    assert.equal(show(await findPackageFiles(guest, [b('nosuch')])), `vhashify: guest '${guest.name}': ${guest.vdir}/var/lib/dpkg/info/nosuch.list: package 'nosuch' is not installed (no file list)\n`);
    assert.equal(show(await findPackageFiles(guest, [b('../../../etc/passwd')])), `vhashify: guest '${guest.name}': '../../../etc/passwd' is not a Debian package name\n`);
  });

  it('never reads a list through a symlink the guest planted', async () => {
    const guest = newGuest({ 'etc/debian_version': '12\n' });
    writeGuestFile(box.top, 'host/secret.list', '/etc/shadow\n');
    plantSymlink(guest.vdir.toString(), 'var/lib/dpkg/info/evil.list', join(box.top, 'host/secret.list'));
    assert.match(show(await findPackageFiles(guest, [b('evil')])) as string, /package 'evil' is not installed/);
  });

  it('asks the host\'s rpm for an rpm guest\'s files, on a copy of its database', async () => {
    const guest = newGuest({ 'etc/redhat-release': 'Fedora\n', 'var/lib/rpm/rpmdb.sqlite': 'db' });
    const calls: string[][] = [];
    const runRpm: RunRpm = async (args) => {
      calls.push([...args]);
      return { exitCode: 0, stdout: Buffer.from('/usr/bin/foo\n/usr/share/doc/foo\n'), stderr: Buffer.alloc(0) };
    };
    assert.deepEqual(show(await findPackageFiles(guest, [b('foo')], { runRpm, tempDir: box.mkdir('tmp') })), ['/usr/bin/foo', '/usr/share/doc/foo']);
    assert.deepEqual(calls.map((args) => [args[0], ...args.slice(2)]), [['--dbpath', '-ql', 'foo']]);
    const notInstalled: RunRpm = async (): Promise<RpmRun> => ({ exitCode: 1, stdout: Buffer.from('package nosuch is not installed\n'), stderr: Buffer.alloc(0) });
    assert.match(show(await findPackageFiles(guest, [b('nosuch')], { runRpm: notInstalled, tempDir: box.mkdir('tmp2') })) as string, /failed: package nosuch is not installed\n$/);
  });

  it('says so for a style without file lists', async () => {
    const guest = newGuest({ 'etc/SuSE-release': 'x\n' });
    assert.equal(show(await findPackageFiles(guest, [b('foo')])), `vhashify: guest '${guest.name}': its package management style 'suse' has no file lists vhashify can read; use --path\n`);
  });
});

describe('splitPathLines', () => {
  it('keeps the absolute paths of a list, bytes as they are', () => {
    assert.deepEqual(splitPathLines(Buffer.from('/a\n\nrelative\n/b c\n/\xff', 'latin1')).map((p) => p.toString('latin1')), ['/a', '/b c', '/\xff']);
  });
});
