import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CONFFILES_FAILED_MESSAGE, findPackageConffiles, type PackageConffiles } from '../../src/config/find-package-conffiles.js';
import { findPkgmgmtStyle, NO_STYLE_MESSAGE, readStyleFile } from '../../src/config/find-pkgmgmt-style.js';
import { openSysGuestRoot } from '../../src/config/sys-guest-files.js';
import type { RunRpm } from '../../src/config/read-rpm-conffiles.js';
import { resolveGuest, type Guest } from '../../src/config/resolve-guest.js';
import { plantFifo, plantSymlink, writeGuestFile } from './guest-tree.js';
import { createSandboxInstallation } from './sandbox-installation.js';

describe('package-management style and conffiles', () => {
  const box = createSandboxInstallation();
  after(() => box.remove());
  let count = 0;
  const newGuest = (files: Record<string, string> = {}): { guest: Guest; root: string } => {
    const name = `g${++count}`;
    const { root } = box.addGuest(name);
    for (const [path, content] of Object.entries(files)) writeGuestFile(root, path, content);
    const result = resolveGuest(box.inst, name, { cwd: '/', env: {} });
    if (!result.ok) throw new Error(result.failure.kind);
    return { guest: result.guest, root };
  };
  const styleOf = (guest: Guest): string => {
    const found = findPkgmgmtStyle(guest, openSysGuestRoot);
    return 'error' in found ? `error: ${found.error.toString()}` : found.style.toString();
  };
  const message = (result: PackageConffiles): string => (result.ok ? 'ok' : result.message.toString());
  const noRpm: RunRpm = async () => ({ exitCode: undefined, spawnError: 'ENOENT', stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) });

  describe('findPkgmgmtStyle', () => {
    it('checks the release files in vpkg order', () => {
      assert.equal(styleOf(newGuest({ 'etc/debian_version': '12\n', 'etc/redhat-release': 'x' }).guest), 'redhat');
      assert.equal(styleOf(newGuest({ 'etc/fedora-release': 'x', 'etc/mandrake-release': 'x' }).guest), 'redhat');
      assert.equal(styleOf(newGuest({ 'etc/mandrake-release': 'x', 'etc/debian_version': 'x' }).guest), 'mandrake');
      assert.equal(styleOf(newGuest({ 'etc/debian_version': 'x', 'etc/SuSE-release': 'x' }).guest), 'debian');
      assert.equal(styleOf(newGuest({ 'etc/SuSE-release': 'x' }).guest), 'suse');
      assert.equal(styleOf(newGuest({ 'etc/alpine-release': 'x' }).guest), `error: ${NO_STYLE_MESSAGE}`);
    });

    it('counts a release file that is a symlink, without following it, and never follows a symlinked /etc', () => {
      const { guest, root } = newGuest({ 'etc/fedora-release': 'Fedora' });
      plantSymlink(root, 'etc/redhat-release', 'fedora-release');
      assert.equal(styleOf(guest), 'redhat');
      const host = join(box.top, 'host-etc');
      writeGuestFile(host, 'debian_version', '12');
      const linked = newGuest();
      plantSymlink(linked.root, 'etc', host);
      assert.equal(styleOf(linked.guest), `error: ${NO_STYLE_MESSAGE}`);
    });

    it('takes the first line of apps/pkgmgmt/style over the release files', () => {
      const { guest } = newGuest({ 'etc/redhat-release': 'x' });
      box.write(`etc/vservers/${guest.name}/apps/pkgmgmt/style`, '  debian \nredhat\n');
      box.write(`etc/vservers/${guest.name}/apps/pkgmgmt/internal`);
      const found = findPkgmgmtStyle(guest, openSysGuestRoot);
      assert.ok(!('error' in found));
      assert.equal(found.style.toString(), 'debian');
      assert.equal(found.external, false);
      assert.equal(found.decidedBy.toString(), `${guest.cfgdir}/apps/pkgmgmt/style`);
    });

    it('reads the style file as bash `read` does', () => {
      const file = (content: string): Buffer => Buffer.from(box.write(`style-${++count}`, content));
      assert.equal(readStyleFile(file('red\\\nhat\n')).toString(), 'redhat');
      assert.equal(readStyleFile(file('\tdeb\\ian  ')).toString(), 'debian');
      assert.equal(readStyleFile(file('')).toString(), '');
      assert.equal(readStyleFile(Buffer.from(join(box.top, 'none'))).toString(), '');
    });

    it('is external when apps/pkgmgmt exists without an internal file', () => {
      const { guest } = newGuest({ 'etc/debian_version': 'x' });
      box.mkdir(`etc/vservers/${guest.name}/apps/pkgmgmt`);
      const found = findPkgmgmtStyle(guest, openSysGuestRoot);
      assert.ok(!('error' in found));
      assert.equal(found.external, true);
      assert.equal(found.pkgmgmtDir?.toString(), `${guest.cfgdir}/apps/pkgmgmt`);
    });
  });

  describe('findPackageConffiles', () => {
    it('reads a stopped Debian guest\'s dpkg database, flagged lines included', async () => {
      const { guest } = newGuest({
        'etc/debian_version': '12\n',
        'var/lib/dpkg/info/base-files.conffiles': '/etc/issue\nremove-on-upgrade /etc/old-issue\n',
        'var/lib/dpkg/info/tool.conffiles': '/usr/share/tool/config\n',
      });
      const result = await findPackageConffiles(guest);
      assert.ok(result.ok);
      assert.equal(result.style.toString(), 'debian');
      assert.deepEqual(result.rules.map((r) => [r.kind, r.literal, r.pattern.toString()]), [
        ['exclude', true, '/etc/issue'],
        ['exclude', true, '/etc/old-issue'],
        ['exclude', true, '/usr/share/tool/config'],
      ]);
    });

    it('fails without a style in vpkg\'s words (vector vs06)', async () => {
      const { guest } = newGuest();
      assert.deepEqual(await findPackageConffiles(guest), { ok: false, message: Buffer.from('Can not determine packagemanagement style\n') });
      assert.equal(CONFFILES_FAILED_MESSAGE, 'failed to determine configfiles\n');
    });

    it('fails an unsupported style in vpkg\'s words', async () => {
      assert.equal(message(await findPackageConffiles(newGuest({ 'etc/SuSE-release': 'x' }).guest)), "Packagemanagement is not supported for 'suse' style\n");
      const { guest } = newGuest();
      box.write(`etc/vservers/${guest.name}/apps/pkgmgmt/style`, '');
      box.write(`etc/vservers/${guest.name}/apps/pkgmgmt/internal`);
      assert.equal(message(await findPackageConffiles(guest)), "Packagemanagement is not supported for '' style\n");
    });

    it('fails external Debian package management in vpkg\'s words', async () => {
      const { guest } = newGuest({ 'etc/debian_version': 'x' });
      box.mkdir(`etc/vservers/${guest.name}/apps/pkgmgmt`);
      assert.equal(message(await findPackageConffiles(guest)), "'external' packagemanagement is not supported for Debian\n");
    });

    it('names the guest and what to do when an rpm guest meets a host without rpm', async () => {
      const { guest } = newGuest({ 'etc/redhat-release': 'x', 'var/lib/rpm/Packages': 'bdb' });
      const result = await findPackageConffiles(guest, { runRpm: noRpm, tempDir: box.top });
      assert.equal(
        message(result),
        `vhashify: guest '${guest.name}' uses rpm (style redhat), but this host has no 'rpm' program to read its package database with; install it (apt-get install rpm) or touch ${guest.appdir}/pkgmgmt-ignore\n`,
      );
    });

    it('passes a pld style file on to rpm, as vpkg does', async () => {
      const { guest } = newGuest({ 'var/lib/rpm/Packages': 'bdb' });
      box.write(`etc/vservers/${guest.name}/apps/pkgmgmt/style`, 'pld\n');
      box.write(`etc/vservers/${guest.name}/apps/pkgmgmt/internal`);
      const runRpm: RunRpm = async () => ({ exitCode: 0, stdout: Buffer.from('/etc/poldek.conf\n'), stderr: Buffer.alloc(0) });
      const result = await findPackageConffiles(guest, { runRpm, tempDir: box.top });
      assert.ok(result.ok);
      assert.deepEqual(result.rules.map((r) => r.pattern.toString()), ['/etc/poldek.conf']);
    });

    it('turns a refused guest file into one message naming it, plus a hint', async () => {
      const { guest, root } = newGuest({ 'etc/debian_version': 'x' });
      plantFifo(root, 'var/lib/dpkg/info/x.conffiles');
      const result = await findPackageConffiles(guest);
      assert.ok(!result.ok);
      assert.equal(
        result.message.toString(),
        `vhashify: cannot list the configuration files of guest '${guest.name}': ${root}/var/lib/dpkg/info/x.conffiles: is not a regular file\n`,
      );
      assert.match(result.hint?.toString() ?? '', /touch .*\/apps\/vunify\/pkgmgmt-ignore\n$/);
    });
  });
});
