import assert from 'node:assert/strict';
import { linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { lstatAt } from '../../src/sys/file-stat.js';
import { getXattr, setXattr } from '../../src/sys/xattrs.js';
import { openAt, closeFd } from '../../src/sys/open-at.js';
import { O_RDONLY } from '../../src/sys/constants.js';
import { openChildDir, openRootDir, releaseDir, type DirHandle } from '../../src/walk/dir-handle.js';
import { givePrivateCopy, type SharedName } from '../../src/unify/give-private-copy.js';
import { createTmpfsDir, removeTmpfsDir } from '../store/tmpfs-fixture.js';
import { writeFileWithMeta } from './file-fixture.js';

let base = '';
let counter = 0;
before(() => {
  process.umask(0o022);
  base = createTmpfsDir('give-private-copy');
});
after(() => {
  if (base !== '') removeTmpfsDir(base);
});

const META = { uid: 1000, gid: 100, mode: 0o4755, mtime: new Date(1_400_000_000_123), atime: new Date(1_300_000_000_000) };

function createShared(): { dir: string; entry: string; guest: string } {
  const dir = join(base, `s${counter++}`);
  const guest = join(dir, 'guest');
  mkdirSync(join(guest, 'bin'), { recursive: true });
  mkdirSync(join(guest, 'usr'));
  const entry = join(dir, 'entry');
  writeFileWithMeta(entry, 'the shared inode, as a guest changed it\n', META);
  const fd = openAt(-100, Buffer.from(entry), O_RDONLY);
  setXattr(fd, 'user.note', Buffer.from('kept'));
  closeFd(fd);
  linkSync(entry, join(guest, 'bin', 'a'));
  linkSync(entry, join(guest, 'usr', 'b'));
  return { dir, entry, guest };
}

function nameIn(dir: DirHandle, name: string, path: string): SharedName {
  return { dir, name: Buffer.from(name), path: Buffer.from(path), stat: lstatAt(dir.fd, Buffer.from(name)) };
}

test("a guest's names of a shared inode become links to one private copy with content, owner, mode, times and attributes", () => {
  const { entry, guest } = createShared();
  const root = openRootDir(guest);
  const bin = openChildDir(root, Buffer.from('bin'), lstatAt(root.fd, Buffer.from('bin')));
  const usr = openChildDir(root, Buffer.from('usr'), lstatAt(root.fd, Buffer.from('usr')));
  try {
    const outcome = givePrivateCopy([nameIn(bin, 'a', '/bin/a'), nameIn(usr, 'b', '/usr/b')]);
    assert.deepEqual(outcome, { replaced: 2, changed: [], messages: [] });
    const a = lstatSync(join(guest, 'bin', 'a'), { bigint: true });
    const b = lstatSync(join(guest, 'usr', 'b'), { bigint: true });
    const shared = lstatSync(entry, { bigint: true });
    assert.equal(a.ino, b.ino, 'both names hold one copy');
    assert.notEqual(a.ino, shared.ino);
    assert.equal(a.nlink, 2n);
    assert.equal(shared.nlink, 1n, 'the guest no longer links the shared inode');
    assert.equal(readFileSync(join(guest, 'bin', 'a'), 'utf8'), 'the shared inode, as a guest changed it\n');
    for (const key of ['mode', 'uid', 'gid', 'size', 'mtimeNs'] as const) assert.equal(a[key], shared[key], key);
    assert.equal(a.atimeNs, BigInt(META.atime.getTime()) * 1_000_000n, 'the access time from before the copy was read');
    const fd = openAt(-100, Buffer.from(join(guest, 'bin', 'a')), O_RDONLY);
    assert.equal(getXattr(fd, 'user.note')?.toString(), 'kept');
    closeFd(fd);
    assert.deepEqual(readdirSync(join(guest, 'bin')), ['a'], 'no temporary left');
  } finally {
    releaseDir(bin);
    releaseDir(usr);
    releaseDir(root);
  }
});

test('a name that changed since the walk is left alone and reported; the others get the copy', () => {
  const { entry, guest } = createShared();
  const root = openRootDir(guest);
  const bin = openChildDir(root, Buffer.from('bin'), lstatAt(root.fd, Buffer.from('bin')));
  const usr = openChildDir(root, Buffer.from('usr'), lstatAt(root.fd, Buffer.from('usr')));
  try {
    const names = [nameIn(bin, 'a', '/bin/a'), nameIn(usr, 'b', '/usr/b')];
    writeFileSync(join(guest, 'usr', 'b.new'), 'the guest replaced this name meanwhile\n');
    renameSync(join(guest, 'usr', 'b.new'), join(guest, 'usr', 'b'));
    const outcome = givePrivateCopy(names);
    assert.equal(outcome.replaced, 1);
    assert.deepEqual(outcome.changed.map(String), ['/usr/b']);
    assert.equal(lstatSync(entry).nlink, 1, 'the guest links the shared inode no more');
    assert.equal(readFileSync(join(guest, 'usr', 'b'), 'utf8'), 'the guest replaced this name meanwhile\n', 'the new file stays');
  } finally {
    releaseDir(bin);
    releaseDir(usr);
    releaseDir(root);
  }
});
