import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { GuestAccessError, type GuestAccessCode } from '../../src/config/guest-files.js';
import { openSysGuestRoot } from '../../src/config/sys-guest-files.js';

function codeOf(action: () => unknown): GuestAccessCode | 'none' {
  try {
    action();
    return 'none';
  } catch (error) {
    if (error instanceof GuestAccessError) return error.code;
    throw error;
  }
}

describe('openSysGuestRoot', () => {
  const top = mkdtempSync(join(tmpdir(), 'vhashify-guest-files-'));
  after(() => rmSync(top, { recursive: true, force: true }));
  const root = join(top, 'guest');
  const host = join(top, 'host');
  mkdirSync(join(root, 'var/lib/dpkg/info'), { recursive: true });
  mkdirSync(join(host, 'secret'), { recursive: true });
  writeFileSync(join(host, 'secret/file'), 'host secret\n');
  writeFileSync(join(root, 'var/lib/dpkg/info/a.conffiles'), '/etc/a\n');
  symlinkSync(join(host, 'secret/file'), join(root, 'var/lib/dpkg/info/link.conffiles'));
  symlinkSync(join(host, 'secret'), join(root, 'var/lib/planted'));
  writeFileSync(join(root, 'var/plain'), 'x');
  assert.equal(spawnSync('mkfifo', [join(root, 'var/lib/dpkg/info/fifo.conffiles')]).status, 0);
  symlinkSync(root, join(top, 'root-link'));

  it('opens directories component by component and reads a regular file', () => {
    const dir = openSysGuestRoot(Buffer.from(root));
    const info = dir.openDir('var//lib/./dpkg/info');
    assert.equal(info.path.toString(), `${root}/var/lib/dpkg/info`);
    assert.equal(info.readFile('a.conffiles', 100).toString(), '/etc/a\n');
    info.close();
    dir.close();
  });

  it('follows symlinks in the root path itself (the admin gave it)', () => {
    const dir = openSysGuestRoot(Buffer.from(join(top, 'root-link')));
    assert.equal(dir.lookup('var'), 'directory');
    dir.close();
  });

  it('never follows a symlinked directory inside the guest', () => {
    const dir = openSysGuestRoot(Buffer.from(root));
    assert.equal(codeOf(() => dir.openDir('var/lib/planted')), 'symlink');
    assert.equal(codeOf(() => dir.openDir('var/plain')), 'not-directory');
    assert.equal(codeOf(() => dir.openDir('var/none/x')), 'missing');
    assert.throws(() => dir.openDir('var/../..'), /not allowed/);
    dir.close();
  });

  it('refuses a symlinked file without reading its target', () => {
    const dir = openSysGuestRoot(Buffer.from(root));
    const info = dir.openDir('var/lib/dpkg/info');
    dir.close();
    assert.equal(info.lookup('link.conffiles'), 'symlink');
    assert.equal(codeOf(() => info.readFile('link.conffiles', 1000)), 'symlink');
    info.close();
  });

  it('refuses a FIFO at once instead of waiting for a writer', () => {
    const dir = openSysGuestRoot(Buffer.from(root));
    const info = dir.openDir('var/lib/dpkg/info');
    dir.close();
    assert.equal(info.lookup('fifo.conffiles'), 'other');
    assert.equal(codeOf(() => info.readFile('fifo.conffiles', 1000)), 'not-regular');
    assert.equal(codeOf(() => info.copyFile('fifo.conffiles', join(top, 'fifo-copy'), 1000)), 'not-regular');
    info.close();
  });

  it('refuses files and listings beyond the caps', () => {
    writeFileSync(join(root, 'big'), Buffer.alloc(4097));
    const dir = openSysGuestRoot(Buffer.from(root));
    assert.equal(codeOf(() => dir.readFile('big', 4096)), 'too-large');
    assert.equal(dir.readFile('big', 4097).length, 4097);
    assert.equal(codeOf(() => dir.copyFile('big', join(top, 'big-copy'), 4096)), 'too-large');
    assert.equal(codeOf(() => dir.readFile('none', 10)), 'missing');
    assert.equal(codeOf(() => dir.readFile('var', 10)), 'not-regular');
    assert.equal(codeOf(() => dir.readFile('a/b', 10)), 'missing');
    const info = dir.openDir('var/lib/dpkg/info');
    assert.equal(info.listNames(3).length, 3);
    assert.equal(codeOf(() => info.listNames(2)), 'too-many');
    info.close();
    dir.close();
  });

  it('lists names as bytes and copies a file to a new private host file', () => {
    const name = Buffer.concat([Buffer.from('n'), Buffer.from([0xff])]);
    const sub = join(root, 'bytes');
    mkdirSync(sub);
    writeFileSync(Buffer.concat([Buffer.from(`${sub}/`), name]), 'data');
    const dir = openSysGuestRoot(Buffer.from(sub));
    assert.deepEqual(dir.listNames(10), [name]);
    const dest = join(top, 'copy');
    assert.equal(dir.copyFile(name, dest, 100), 4);
    assert.equal(readFileSync(dest, 'utf8'), 'data');
    assert.equal(statSync(dest).mode & 0o777, 0o600);
    // The destination is always a new file: an existing one is a host-side error, never overwritten.
    assert.throws(() => dir.copyFile(name, dest, 100), /EEXIST/);
    dir.close();
  });
});
