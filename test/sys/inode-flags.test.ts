import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { release } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  AT_FDCWD, FS_APPEND_FL, FS_EXTENT_FL, FS_IMMUTABLE_FL, O_NOFOLLOW, O_RDONLY, O_WRONLY, RENAME_NOREPLACE,
} from '../../src/sys/constants.js';
import { getInodeFlags, setInodeFlags } from '../../src/sys/inode-flags.js';
import { linkAt, renameAt2, unlinkAt } from '../../src/sys/link-ops.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { repoRoot } from '../support/paths.js';
import { createExt4Mount, createMemoryMount, openDirPath, type TestMount } from './fs-fixtures.js';

const b = (s: string): Buffer => Buffer.from(s);

function withFile<T>(path: string, fn: (fd: number) => T): T {
  const fd = openAt(AT_FDCWD, b(path), O_RDONLY | O_NOFOLLOW);
  try {
    return fn(fd);
  } finally {
    closeFd(fd);
  }
}

describe('on ext4', () => {
  let ext4: TestMount;
  let dirFd = -1;
  before(() => {
    ext4 = createExt4Mount('inode-flags');
    dirFd = openDirPath(ext4.dir);
  });
  after(() => {
    if (dirFd >= 0) closeFd(dirFd);
    ext4?.remove();
  });

  test('a new file carries the extent flag that ext4 sets itself, and nothing else', () => {
    writeFileSync(join(ext4.dir, 'plain'), 'plain');
    assert.equal(withFile(join(ext4.dir, 'plain'), getInodeFlags), FS_EXTENT_FL);
  });

  test('the immutable flag is set and read back, and then no link, rename, unlink or write gets through', () => {
    const path = join(ext4.dir, 'entry');
    writeFileSync(path, 'shared content');
    withFile(path, (fd) => setInodeFlags(fd, getInodeFlags(fd) | FS_IMMUTABLE_FL));
    try {
      assert.equal(withFile(path, getInodeFlags) & FS_IMMUTABLE_FL, FS_IMMUTABLE_FL);
      assert.throws(() => linkAt(dirFd, b('entry'), dirFd, b('guest-file')), { code: 'EPERM', syscall: 'linkat' });
      assert.throws(() => renameAt2(dirFd, b('entry'), dirFd, b('moved'), RENAME_NOREPLACE), { code: 'EPERM' });
      assert.throws(() => unlinkAt(dirFd, b('entry')), { code: 'EPERM' });
      assert.throws(() => openAt(dirFd, b('entry'), O_WRONLY), { code: 'EPERM', syscall: 'openat' });
    } finally {
      withFile(path, (fd) => setInodeFlags(fd, getInodeFlags(fd) & ~FS_IMMUTABLE_FL));
    }
    assert.equal(withFile(path, getInodeFlags) & FS_IMMUTABLE_FL, 0);
    linkAt(dirFd, b('entry'), dirFd, b('guest-file'));
  });

  test('without CAP_LINUX_IMMUTABLE setting the flag fails with EPERM', () => {
    const path = join(ext4.dir, 'unprivileged');
    writeFileSync(path, 'x');
    const modules = pathToFileURL(join(repoRoot, 'dist', 'src', 'sys')).href;
    const script = `
      const { openAt, closeFd } = await import('${modules}/open-at.js');
      const { getInodeFlags, setInodeFlags } = await import('${modules}/inode-flags.js');
      const fd = openAt(-100, Buffer.from(process.argv[1]), 0);
      try { setInodeFlags(fd, getInodeFlags(fd) | ${FS_IMMUTABLE_FL}); console.log('set'); }
      catch (error) { console.log(error.code); }
      finally { closeFd(fd); }
    `;
    const result = spawnSync('setpriv', [
      '--inh-caps=-linux_immutable', '--bounding-set=-linux_immutable', '--',
      process.execPath, '--input-type=module', '-e', script, path,
    ], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'EPERM');
    assert.equal(withFile(path, getInodeFlags) & FS_IMMUTABLE_FL, 0);
  });

  test('the append-only flag round-trips too', () => {
    const path = join(ext4.dir, 'log');
    writeFileSync(path, 'x');
    withFile(path, (fd) => setInodeFlags(fd, getInodeFlags(fd) | FS_APPEND_FL));
    assert.equal(withFile(path, getInodeFlags) & FS_APPEND_FL, FS_APPEND_FL);
    withFile(path, (fd) => setInodeFlags(fd, getInodeFlags(fd) & ~FS_APPEND_FL));
  });
});

// tmpfs gained FS_IOC_GETFLAGS/SETFLAGS (immutable, append, nodump, noatime) in Linux 6.0.
const [major] = release().split('.').map(Number) as [number];

describe('on memory file systems', () => {
  let tmpfs: TestMount;
  let ramfs: TestMount;
  before(() => {
    tmpfs = createMemoryMount('inode-flags', 'tmpfs');
    ramfs = createMemoryMount('inode-flags', 'ramfs');
  });
  after(() => {
    tmpfs?.remove();
    ramfs?.remove();
  });

  test(`tmpfs ${major >= 6 ? 'keeps' : 'has no'} the immutable flag on this kernel (${release()})`, () => {
    const path = join(tmpfs.dir, 'f');
    writeFileSync(path, 'x');
    if (major < 6) {
      assert.throws(() => withFile(path, getInodeFlags), { code: 'ENOTTY' });
      return;
    }
    assert.equal(withFile(path, getInodeFlags), 0);
    withFile(path, (fd) => setInodeFlags(fd, FS_IMMUTABLE_FL));
    assert.equal(withFile(path, getInodeFlags), FS_IMMUTABLE_FL);
    withFile(path, (fd) => setInodeFlags(fd, 0));
  });

  test('ramfs and procfs have no inode flags: ENOTTY', () => {
    const path = join(ramfs.dir, 'f');
    writeFileSync(path, 'x');
    assert.throws(() => withFile(path, getInodeFlags), { code: 'ENOTTY', syscall: 'ioctl' });
    assert.throws(() => withFile(path, (fd) => setInodeFlags(fd, FS_IMMUTABLE_FL)), { code: 'ENOTTY' });
    assert.throws(() => withFile('/proc/self/status', getInodeFlags), { code: 'ENOTTY' });
  });
});
