import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { O_NOFOLLOW, O_PATH, O_RDONLY, XATTR_CREATE, XATTR_REPLACE } from '../../src/sys/constants.js';
import { fstatFd } from '../../src/sys/file-stat.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { getXattr, listXattrs, removeXattr, setXattr } from '../../src/sys/xattrs.js';
import { createExt4Mount, createMemoryMount, openDirPath, type TestMount } from './fs-fixtures.js';
import { CAP_NET_RAW, formatAcl, formatCapability } from '../support/xattr-blobs.js';

const names = (list: Buffer[]): string[] => list.map((name) => name.toString()).sort();

for (const kind of ['ext4', 'tmpfs'] as const) {
  describe(`on ${kind}`, () => {
    let fs: TestMount;
    let dirFd = -1;
    let counter = 0;
    before(() => {
      fs = kind === 'ext4' ? createExt4Mount('xattrs') : createMemoryMount('xattrs', 'tmpfs');
      dirFd = openDirPath(fs.dir);
    });
    after(() => {
      if (dirFd >= 0) closeFd(dirFd);
      fs?.remove();
    });

    // Files are opened as the layer documents: O_RDONLY|O_NOFOLLOW.
    function withNewFile(fn: (fd: number, path: string) => void): void {
      const name = `f${counter++}`;
      writeFileSync(join(fs.dir, name), 'content', { mode: 0o644 });
      const fd = openAt(dirFd, Buffer.from(name), O_RDONLY | O_NOFOLLOW);
      try {
        fn(fd, join(fs.dir, name));
      } finally {
        closeFd(fd);
      }
    }

    test('user.* attributes are set, listed, read, replaced and removed', () => {
      withNewFile((fd) => {
        assert.deepEqual(listXattrs(fd), []);
        setXattr(fd, 'user.one', Buffer.from('1'));
        setXattr(fd, Buffer.from('user.two'), Buffer.from([0, 0xff, 0]));
        assert.deepEqual(names(listXattrs(fd)), ['user.one', 'user.two']);
        assert.deepEqual(getXattr(fd, 'user.two'), Buffer.from([0, 0xff, 0]));
        assert.equal(getXattr(fd, 'user.missing'), undefined);
        assert.throws(() => setXattr(fd, 'user.one', Buffer.from('x'), XATTR_CREATE), { code: 'EEXIST' });
        assert.throws(() => setXattr(fd, 'user.new', Buffer.from('x'), XATTR_REPLACE), { code: 'ENODATA' });
        setXattr(fd, 'user.one', Buffer.alloc(0), XATTR_REPLACE);
        assert.deepEqual(getXattr(fd, 'user.one'), Buffer.alloc(0), 'an empty value is not a missing one');
        removeXattr(fd, 'user.one');
        assert.deepEqual(names(listXattrs(fd)), ['user.two']);
        assert.throws(() => removeXattr(fd, 'user.one'), { code: 'ENODATA', syscall: 'fremovexattr' });
      });
    });

    test('a v2 file capability for cap_net_raw is written, read back byte for byte, and getcap sees it', () => {
      withNewFile((fd, path) => {
        setXattr(fd, 'security.capability', formatCapability(CAP_NET_RAW));
        assert.deepEqual(getXattr(fd, 'security.capability'), formatCapability(CAP_NET_RAW));
        const getcap = spawnSync('getcap', [path], { encoding: 'utf8' });
        assert.equal(getcap.stdout.trim(), `${path} cap_net_raw=ep`);
        assert.ok(names(listXattrs(fd)).includes('security.capability'));
      });
    });

    test('a POSIX access ACL is stored in its binary form and its mask becomes the group mode bits', () => {
      withNewFile((fd) => {
        setXattr(fd, 'system.posix_acl_access', formatAcl());
        assert.deepEqual(getXattr(fd, 'system.posix_acl_access'), formatAcl());
        assert.equal(fstatFd(fd).mode, 0o100660n);
        assert.ok(names(listXattrs(fd)).includes('system.posix_acl_access'));
      });
    });

    test('values and lists larger than the scratch buffer are read whole', () => {
      withNewFile((fd) => {
        // ext4 on this small image has 1 KiB blocks: one block holds all attributes of a file.
        const big = kind === 'ext4' ? 900 : 10_000;
        const value = Buffer.alloc(big, 0x5a);
        setXattr(fd, 'user.big', value);
        assert.deepEqual(getXattr(fd, 'user.big'), value);
        if (kind === 'tmpfs') {
          const many = Array.from({ length: 60 }, (_, i) => `user.${'n'.repeat(90)}${i}`);
          for (const name of many) setXattr(fd, name, Buffer.from('v'));
          assert.deepEqual(names(listXattrs(fd)), [...many, 'user.big'].sort());
        }
      });
    });

    test('an O_PATH descriptor is refused with EBADF', () => {
      withNewFile((_fd, path) => {
        const pathFd = openAt(-100, Buffer.from(path), O_PATH | O_NOFOLLOW);
        try {
          assert.throws(() => listXattrs(pathFd), { code: 'EBADF', syscall: 'flistxattr' });
          assert.throws(() => getXattr(pathFd, 'user.x'), { code: 'EBADF', syscall: 'fgetxattr' });
        } finally {
          closeFd(pathFd);
        }
      });
    });
  });
}

describe('on ramfs', () => {
  let fs: TestMount;
  before(() => {
    fs = createMemoryMount('xattrs', 'ramfs');
  });
  after(() => fs?.remove());

  test('user.* attributes are not supported (EOPNOTSUPP) and a file lists none', () => {
    writeFileSync(join(fs.dir, 'f'), 'x');
    const fd = openAt(-100, Buffer.from(join(fs.dir, 'f')), O_RDONLY | O_NOFOLLOW);
    try {
      assert.throws(() => setXattr(fd, 'user.x', Buffer.from('1')), { code: 'EOPNOTSUPP', syscall: 'fsetxattr' });
      assert.deepEqual(listXattrs(fd), []);
    } finally {
      closeFd(fd);
    }
  });
});
