import assert from 'node:assert/strict';
import { chmodSync, chownSync, lstatSync, mkdirSync, readFileSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { O_NOFOLLOW, O_RDONLY } from '../../src/sys/constants.js';
import { fstatFd } from '../../src/sys/file-stat.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { getXattr, listXattrs, setXattr } from '../../src/sys/xattrs.js';
import { PRIVATE_COPY, writeCopy } from '../../src/unify/copy-to-store.js';
import { copyXattrs } from '../../src/unify/copy-xattrs.js';
import { createExt4Mount, openDirPath, type TestMount } from '../sys/fs-fixtures.js';

let fs: TestMount;
let dirFd = -1;
before(() => {
  fs = createExt4Mount('full-copy');
  dirFd = openDirPath(fs.dir);
});
after(() => {
  if (dirFd >= 0) closeFd(dirFd);
  fs?.remove();
});

// A file capability (VFS_CAP_REVISION_2, cap_net_raw permitted and effective): what ping carries.
const CAPABILITY = Buffer.from('0100000200200000000000000000000000000000', 'hex');
// A POSIX access ACL: user::rw-, user:1000:r--, group::r--, mask::r--, other::---.
const ACL = Buffer.from('02000000' + '01000600ffffffff' + '02000400e8030000' + '04000400ffffffff' + '10000400ffffffff' + '20000000ffffffff', 'hex');

function open(name: string): number {
  return openAt(dirFd, Buffer.from(name), O_RDONLY | O_NOFOLLOW);
}

function attributesOf(fd: number): string[] {
  return listXattrs(fd).map((name) => `${name.toString()}=${getXattr(fd, name)!.toString('hex')}`).sort();
}

test('a full copy keeps content, holes, owner, set-id mode, nanosecond times and every extended attribute, a file capability included', () => {
  const path = join(fs.dir, 'ping');
  writeFileSync(path, 'the binary of ping, or so\n');
  truncateSync(path, 1 << 20); // a hole after the data
  chownSync(path, 1000, 100);
  chmodSync(path, 0o4750);
  utimesSync(path, new Date(1_400_000_000_123), new Date(1_500_000_000_456));
  const src = open('ping');
  try {
    setXattr(src, 'security.capability', CAPABILITY);
    setXattr(src, 'system.posix_acl_access', ACL);
    setXattr(src, 'user.origin', Buffer.from('guest'));
    setXattr(src, 'trusted.note', Buffer.from([0, 1, 2]));
    const stat = fstatFd(src);
    const made = writeCopy(src, stat, dirFd, () => Buffer.from('copy'), PRIVATE_COPY);
    assert.ok(made.ok, JSON.stringify(made));
    assert.equal(made.copy.toString(), 'copy');
    const copy = open('copy');
    try {
      const copied = fstatFd(copy);
      assert.deepEqual([copied.mode, copied.uid, copied.gid, copied.size, copied.mtimeNs, copied.atimeNs], [stat.mode, stat.uid, stat.gid, stat.size, stat.mtimeNs, stat.atimeNs]);
      assert.ok(copied.blocks < stat.size / 512n, 'the hole stays a hole');
      assert.deepEqual(attributesOf(copy), attributesOf(src));
      assert.ok(attributesOf(copy).some((a) => a.startsWith('security.capability=')), 'chown and the write did not clear the capability');
    } finally {
      closeFd(copy);
    }
    assert.deepEqual(readFileSync(join(fs.dir, 'copy')), readFileSync(path));
  } finally {
    closeFd(src);
  }
});

test('a full copy picks another name while the one offered exists, and leaves nothing when the source shrank', () => {
  writeFileSync(join(fs.dir, 'taken'), 'x');
  writeFileSync(join(fs.dir, 'src'), 'twenty bytes of data');
  const src = open('src');
  try {
    const names = ['taken', 'free'];
    const made = writeCopy(src, fstatFd(src), dirFd, () => Buffer.from(names.shift() ?? 'none'), PRIVATE_COPY);
    assert.ok(made.ok);
    assert.equal(made.copy.toString(), 'free');
    const shrunk = { ...fstatFd(src), size: 4096n };
    assert.deepEqual(writeCopy(src, shrunk, dirFd, () => Buffer.from('never'), PRIVATE_COPY), { ok: false, changed: true });
    assert.throws(() => lstatSync(join(fs.dir, 'never')), { code: 'ENOENT' });
  } finally {
    closeFd(src);
  }
});

test('copyXattrs copies a directory\'s attributes, its default ACL included', () => {
  mkdirSync(join(fs.dir, 'd1'));
  mkdirSync(join(fs.dir, 'd2'));
  const d1 = openDirPath(join(fs.dir, 'd1'));
  const d2 = openDirPath(join(fs.dir, 'd2'));
  try {
    setXattr(d1, 'system.posix_acl_default', ACL);
    setXattr(d1, 'user.dir', Buffer.from('yes'));
    copyXattrs(d1, d2);
    assert.deepEqual(attributesOf(d2), attributesOf(d1));
  } finally {
    closeFd(d1);
    closeFd(d2);
  }
});
