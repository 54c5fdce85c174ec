import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AT_FDCWD, O_DIRECTORY, O_RDONLY } from '../../src/sys/constants.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { resolveInGuest } from '../../src/walk/resolve-in-guest.js';

describe('resolveInGuest', () => {
  let top = '';
  let root = '';
  let rootFd = -1;
  before(() => {
    top = mkdtempSync(join(tmpdir(), 'vhashify-resolve-'));
    root = join(top, 'guest');
    mkdirSync(join(root, 'usr/lib'), { recursive: true });
    writeFileSync(join(root, 'usr/lib/libx.so'), 'x');
    symlinkSync('usr/lib', join(root, 'lib'));
    symlinkSync('/usr/lib/libx.so', join(root, 'usr/lib/libx.so.1'));
    symlinkSync('../../..', join(root, 'usr/lib/up'));
    symlinkSync('loop', join(root, 'loop'));
    symlinkSync('/etc', join(root, 'hostetc')); // a guest's absolute link: its own /etc
    writeFileSync(join(top, 'host-secret'), 'not the guest\'s');
    rootFd = openAt(AT_FDCWD, Buffer.from(root), O_RDONLY | O_DIRECTORY);
  });
  after(() => {
    if (rootFd >= 0) closeFd(rootFd);
    rmSync(top, { recursive: true, force: true });
  });
  const resolve = (path: string): string => {
    const found = resolveInGuest(rootFd, Buffer.from(path));
    return found.ok ? `${found.path.toString()}${found.isDirectory ? ' dir' : ''}` : `${found.reason} at ${found.at.toString()}`;
  };

  it('follows the guest\'s symlinks, relative and absolute, the last one too', () => {
    assert.equal(resolve('/lib/libx.so'), '/usr/lib/libx.so');
    assert.equal(resolve('lib/libx.so.1'), '/usr/lib/libx.so');
    assert.equal(resolve('/lib'), '/usr/lib dir');
    assert.equal(resolve('/'), '/ dir');
    assert.equal(resolve('//usr/./lib/'), '/usr/lib dir');
  });

  it('never leaves the guest: .. stops at its root and absolute links start from it', () => {
    assert.equal(resolve('/../../host-secret'), 'missing at /host-secret');
    assert.equal(resolve('/usr/lib/up/host-secret'), 'missing at /host-secret');
    assert.equal(resolve('/hostetc/passwd'), 'missing at /etc');
  });

  it('says what stops a lookup', () => {
    assert.equal(resolve('/usr/lib/libx.so/more'), 'not-directory at /usr/lib/libx.so');
    assert.equal(resolve('/loop'), 'loop at /loop');
    assert.equal(resolve('/lib/nothing'), 'missing at /usr/lib/nothing');
  });
});
