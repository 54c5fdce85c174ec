import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DT_DIR, DT_LNK, DT_REG, O_DIRECTORY, O_PATH } from '../../src/sys/constants.js';
import { readDirEntries } from '../../src/sys/dir-entries.js';
import { lstatAt } from '../../src/sys/file-stat.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { createExt4Mount, createMemoryMount, openDirPath, type TestMount } from './fs-fixtures.js';

// ls -f lists every entry unsorted, . and .. included, in the order readdir(3) returns them.
function listRawOrder(dir: string): Buffer[] {
  const result = spawnSync('ls', ['-f', dir], { env: { ...process.env, LC_ALL: 'C' } });
  assert.equal(result.status, 0);
  const out = result.stdout as Buffer;
  const names: Buffer[] = [];
  for (let from = 0; from < out.length;) {
    const end = out.indexOf(0x0a, from);
    names.push(out.subarray(from, end));
    from = end + 1;
  }
  return names;
}

// A few hundred names, some with bytes that are not UTF-8 (no newline: ls prints one name per line).
function createNames(dir: string): void {
  for (let i = 0; i < 300; i++) {
    const name = Buffer.concat([Buffer.from(`n${(i * 7919) % 1000}-`), Buffer.from([0x80 + (i % 100), 0xff])]);
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), name]), '');
  }
  mkdirSync(join(dir, 'subdir'));
  symlinkSync('nowhere', join(dir, 'dangling'));
}

for (const kind of ['ext4', 'tmpfs'] as const) {
  describe(`on ${kind}`, () => {
    let fs: TestMount;
    let dirFd = -1;
    before(() => {
      fs = kind === 'ext4' ? createExt4Mount('dir-entries') : createMemoryMount('dir-entries', 'tmpfs');
      createNames(fs.dir);
      dirFd = openDirPath(fs.dir);
    });
    after(() => {
      if (dirFd >= 0) closeFd(dirFd);
      fs?.remove();
    });

    test('every entry comes in the raw order of ls -f, . and .. included', () => {
      const names = readDirEntries(dirFd).map((entry) => entry.name);
      const expected = listRawOrder(fs.dir);
      assert.equal(names.length, 300 + 2 + 1 + 1 + (kind === 'ext4' ? 1 : 0), 'lost+found on ext4');
      assert.deepEqual(names, expected);
    });

    // Not `..`: at a mount root its entry names the file system's own root, lstat crosses to the parent.
    test('inode numbers and d_type agree with lstat', () => {
      for (const entry of readDirEntries(dirFd).filter((e) => !e.name.equals(Buffer.from('..')))) {
        const st = lstatAt(dirFd, entry.name);
        assert.equal(entry.ino, st.ino);
        const type = st.isDirectory() ? DT_DIR : st.isSymbolicLink() ? DT_LNK : DT_REG;
        assert.equal(entry.type, type, entry.name.toString('latin1'));
      }
    });

    test('the same descriptor can be read again from the start, and names are own copies', () => {
      const first = readDirEntries(dirFd);
      const second = readDirEntries(dirFd);
      assert.deepEqual(second, first);
      const kept = Buffer.from(second[0]!.name);
      first[0]!.name.fill(0x41);
      assert.deepEqual(second[0]!.name, kept, 'changing one listing does not change another');
    });
  });
}

describe('errors', () => {
  let fs: TestMount;
  before(() => {
    fs = createMemoryMount('dir-entries-errors', 'tmpfs');
    writeFileSync(join(fs.dir, 'file'), '');
  });
  after(() => fs?.remove());

  test('an O_PATH descriptor cannot be listed (EBADF)', () => {
    const fd = openAt(-100, Buffer.from(fs.dir), O_PATH | O_DIRECTORY);
    try {
      assert.throws(() => readDirEntries(fd), { code: 'EBADF' });
    } finally {
      closeFd(fd);
    }
  });

  test('a descriptor of a regular file is not a directory (ENOTDIR)', () => {
    const fd = openAt(-100, Buffer.from(join(fs.dir, 'file')), 0);
    try {
      assert.throws(() => readDirEntries(fd), { code: 'ENOTDIR', syscall: 'getdents64' });
    } finally {
      closeFd(fd);
    }
    assert.equal(lstatSync(join(fs.dir, 'file')).isFile(), true);
  });
});
