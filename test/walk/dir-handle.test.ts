import assert from 'node:assert/strict';
import {
  closeSync, fstatSync, mkdirSync, opendirSync, readdirSync, readFileSync, readlinkSync, renameSync, statSync, symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { lstatAt } from '../../src/sys/file-stat.js';
import { openGuestFile } from '../../src/walk/guest-read.js';
import {
  DirChangedError, openChildDir, openRootDir, readEntries, releaseDir, retainDir, type DirHandle,
} from '../../src/walk/dir-handle.js';
import { createTmpfsDir, removeTmpfsDir } from '../store/tmpfs-fixture.js';

// A tmpfs of our own: readdir() returns the newest entry first there, so raw order differs from sorted order.
let base = '';
let counter = 0;
before(() => {
  base = createTmpfsDir('dir-handle');
});
after(() => {
  if (base !== '') removeTmpfsDir(base);
});

function createDir(): string {
  const dir = join(base, `d${counter++}`);
  mkdirSync(dir);
  return dir;
}

// Descriptors this process holds on the test's tmpfs: the walk's directories, none of the runner's.
function countOpenFds(): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(base)) count += 1;
    } catch {
      // closed meanwhile (the descriptor readdir itself used)
    }
  }
  return count;
}

function isOpen(fd: number): boolean {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

/** The entry names of an open directory, `.` and `..` left out. */
function readNames(handle: DirHandle): Buffer[] {
  return readEntries(handle).map((e) => e.name).filter((n) => n.toString() !== '.' && n.toString() !== '..');
}

function readRawOrder(dir: string | Buffer): Buffer[] {
  const handle = opendirSync(dir, { encoding: 'buffer' as BufferEncoding });
  const names: Buffer[] = [];
  for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) names.push(entry.name as unknown as Buffer);
  handle.closeSync();
  return names;
}

test('the root handle holds its directory open and carries its device and inode', () => {
  const dir = createDir();
  const handle = openRootDir(dir);
  try {
    const st = statSync(dir, { bigint: true });
    assert.equal(readlinkSync(`/proc/self/fd/${handle.fd}`), dir);
    assert.equal(handle.dev, st.dev);
    assert.equal(handle.ino, st.ino);
    assert.equal(handle.refs, 1);
  } finally {
    releaseDir(handle);
  }
});

test('the root path may be a symlink to the guest directory (the admin chose it)', () => {
  const dir = createDir();
  mkdirSync(join(dir, 'real'));
  symlinkSync('real', join(dir, 'vdir'));
  const handle = openRootDir(join(dir, 'vdir'));
  try {
    assert.equal(handle.ino, statSync(join(dir, 'real'), { bigint: true }).ino);
  } finally {
    releaseDir(handle);
  }
});

test('entries come in raw readdir order, with . and .. where the kernel puts them, as exact bytes', () => {
  const dir = createDir();
  const names = [
    Buffer.from('b'),
    Buffer.from('a'),
    Buffer.from('c\nd'),
    Buffer.from([0x66, 0xff, 0xfe, 0x80]),
    Buffer.alloc(255, 0x78),
    Buffer.from('.hidden'),
  ];
  for (const name of names) writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), name]), 'x');
  const handle = openRootDir(dir);
  try {
    const all = readEntries(handle).map((e) => e.name);
    assert.deepEqual(all.slice(0, 2).map(String), ['.', '..'], 'tmpfs lists . and .. first');
    const got = readNames(handle);
    const raw = readRawOrder(dir);
    assert.deepEqual(got, raw);
    // tmpfs lists the newest entry first: the reverse of creation, which is not sorted order.
    assert.deepEqual(got, [...names].reverse());
    assert.notDeepEqual(got, [...got].sort(Buffer.compare));
    assert.ok(got.every((name) => Buffer.isBuffer(name)));
  } finally {
    releaseDir(handle);
  }
});

test('reading names does not leave a descriptor open', () => {
  const dir = createDir();
  writeFileSync(join(dir, 'f'), 'x');
  const handle = openRootDir(dir);
  try {
    const before = countOpenFds();
    for (let i = 0; i < 20; i += 1) readNames(handle);
    assert.equal(countOpenFds(), before);
  } finally {
    releaseDir(handle);
  }
});

test('names are resolved in the opened directory even after its path was swapped for a symlink', () => {
  const dir = createDir();
  mkdirSync(join(dir, 'guest'));
  writeFileSync(join(dir, 'guest', 'file'), 'inside the guest');
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(dir, 'outside', 'file'), 'outside the guest');
  const handle = openRootDir(join(dir, 'guest'));
  try {
    renameSync(join(dir, 'guest'), join(dir, 'moved'));
    symlinkSync('outside', join(dir, 'guest'));
    const fd = openGuestFile(handle.fd, Buffer.from('file'));
    try {
      assert.equal(readFileSync(fd, 'utf8'), 'inside the guest');
    } finally {
      closeSync(fd);
    }
    assert.deepEqual(readNames(handle), [Buffer.from('file')]);
  } finally {
    releaseDir(handle);
  }
});

test('a child directory opens when it is still the directory lstat saw', () => {
  const dir = createDir();
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'inner'), 'x');
  const parent = openRootDir(dir);
  try {
    const name = Buffer.from('sub');
    const seen = lstatAt(parent.fd, name);
    const child = openChildDir(parent, name, seen);
    try {
      assert.equal(child.ino, seen.ino);
      assert.equal(child.dev, seen.dev);
      assert.notEqual(child.fd, parent.fd);
      assert.deepEqual(readNames(child), [Buffer.from('inner')]);
    } finally {
      releaseDir(child);
    }
  } finally {
    releaseDir(parent);
  }
});

test('a directory swapped for another directory after lstat is refused, and no descriptor leaks', () => {
  const dir = createDir();
  mkdirSync(join(dir, 'sub'));
  const parent = openRootDir(dir);
  try {
    const name = Buffer.from('sub');
    const stale = lstatAt(parent.fd, name);
    renameSync(join(dir, 'sub'), join(dir, 'old'));
    mkdirSync(join(dir, 'sub'));
    const before = countOpenFds();
    assert.throws(() => openChildDir(parent, name, stale), (error: unknown) => {
      assert.ok(error instanceof DirChangedError);
      assert.equal(error.code, 'EINVAL');
      return true;
    });
    assert.equal(countOpenFds(), before);
  } finally {
    releaseDir(parent);
  }
});

test('a directory swapped for a symlink to a directory after lstat is not followed', () => {
  const dir = createDir();
  mkdirSync(join(dir, 'sub'));
  mkdirSync(join(dir, 'elsewhere'));
  const parent = openRootDir(dir);
  try {
    const name = Buffer.from('sub');
    const stale = lstatAt(parent.fd, name);
    renameSync(join(dir, 'sub'), join(dir, 'old'));
    symlinkSync('elsewhere', join(dir, 'sub'));
    const before = countOpenFds();
    assert.throws(() => openChildDir(parent, name, stale), (error: NodeJS.ErrnoException) => {
      assert.ok(error.code === 'ELOOP' || error.code === 'ENOTDIR', `got ${error.code}`);
      return true;
    });
    // Even with a fresh lstat of the symlink, opening must not follow it.
    const fresh = lstatAt(parent.fd, name);
    assert.ok(fresh.isSymbolicLink());
    assert.throws(() => openChildDir(parent, name, fresh), (error: NodeJS.ErrnoException) => error.code === 'ELOOP' || error.code === 'ENOTDIR');
    assert.equal(countOpenFds(), before);
  } finally {
    releaseDir(parent);
  }
});

test('the descriptor is closed with the last reference, not before', () => {
  const dir = createDir();
  const handle = openRootDir(dir);
  assert.equal(retainDir(handle), handle);
  assert.equal(handle.refs, 2);
  releaseDir(handle);
  assert.equal(handle.refs, 1);
  assert.ok(isOpen(handle.fd), 'still open while one reference remains');
  releaseDir(handle);
  assert.equal(handle.refs, 0);
  assert.ok(!isOpen(handle.fd), 'closed with the last reference');
});
