import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AT_FDCWD, O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_WRONLY, SEEK_DATA, SEEK_HOLE } from '../../src/sys/constants.js';
import { copyFileData, copyFileRange } from '../../src/sys/copy-range.js';
import { seekFd, truncateFd, writeFullyAt } from '../../src/sys/file-io.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { isSysError } from '../../src/sys/sys-error.js';
import { createExt4Mount, createMemoryMount, type TestMount } from './fs-fixtures.js';

let ext4: TestMount;
let tmpfs: TestMount;
let counter = 0;
before(() => {
  ext4 = createExt4Mount('copy-range');
  tmpfs = createMemoryMount('copy-range', 'tmpfs');
});
after(() => {
  ext4?.remove();
  tmpfs?.remove();
});

const MIB = 1 << 20;

// 4 KiB of data, a hole, 8 KiB of data at 1 MiB, and a hole up to 4 MiB.
function createSparseFile(dir: string): string {
  const path = join(dir, `sparse${counter++}`);
  const fd = openAt(AT_FDCWD, Buffer.from(path), O_RDWR | O_CREAT | O_EXCL, 0o644);
  try {
    writeFullyAt(fd, Buffer.alloc(4096, 0x61), 4096, 0);
    writeFullyAt(fd, Buffer.alloc(8192, 0x62), 8192, MIB);
    truncateFd(fd, 4 * MIB);
  } finally {
    closeFd(fd);
  }
  return path;
}

// The data segments of a file as [start, end) pairs.
function readDataMap(path: string): [number, number][] {
  const fd = openAt(AT_FDCWD, Buffer.from(path), O_RDONLY);
  const map: [number, number][] = [];
  try {
    const size = statSync(path).size;
    for (let at = 0; at < size;) {
      let data: number;
      try {
        data = seekFd(fd, at, SEEK_DATA);
      } catch (error) {
        if (isSysError(error, 'ENXIO')) break;
        throw error;
      }
      const hole = seekFd(fd, data, SEEK_HOLE);
      map.push([data, hole]);
      at = hole;
    }
  } finally {
    closeFd(fd);
  }
  return map;
}

function copy(source: string, destDir: string, size = statSync(source).size): { dest: string; complete: boolean } {
  const dest = join(destDir, `copy${counter++}`);
  const src = openAt(AT_FDCWD, Buffer.from(source), O_RDONLY);
  const out = openAt(AT_FDCWD, Buffer.from(dest), O_WRONLY | O_CREAT | O_EXCL, 0o600);
  try {
    return { dest, complete: copyFileData(src, out, size) };
  } finally {
    closeFd(src);
    closeFd(out);
  }
}

for (const [from, to] of [['ext4', 'ext4'], ['tmpfs', 'tmpfs'], ['tmpfs', 'ext4']] as const) {
  test(`a sparse file copied from ${from} to ${to} keeps its content, size and holes`, () => {
    const mounts = { ext4, tmpfs };
    const source = createSparseFile(mounts[from].dir);
    const { dest, complete } = copy(source, mounts[to].dir);
    assert.equal(complete, true);
    assert.deepEqual(readFileSync(dest), readFileSync(source));
    assert.deepEqual(readDataMap(dest), [[0, 4096], [MIB, MIB + 8192]]);
    assert.equal(statSync(dest).size, 4 * MIB);
    assert.ok(statSync(dest).blocks <= 2 * (12 + 4), `only the data is allocated (${statSync(dest).blocks} sectors)`);
  });
}

test('copy_file_range refuses to cross from tmpfs to ext4 with an error copyFileData falls back on', () => {
  const source = createSparseFile(tmpfs.dir);
  const src = openAt(AT_FDCWD, Buffer.from(source), O_RDONLY);
  const out = openAt(AT_FDCWD, Buffer.from(join(ext4.dir, `cross${counter++}`)), O_WRONLY | O_CREAT | O_EXCL, 0o600);
  try {
    assert.throws(() => copyFileRange(src, 0, out, 0, 4096), (error) => {
      assert.ok(isSysError(error) && ['EXDEV', 'EINVAL', 'ENOSYS', 'EOPNOTSUPP'].includes(error.code), String(error));
      return true;
    });
  } finally {
    closeFd(src);
    closeFd(out);
  }
});

test('copyFileRange copies at explicit offsets and reports 0 at the end of the source', () => {
  const source = createSparseFile(ext4.dir);
  const dest = join(ext4.dir, `range${counter++}`);
  const src = openAt(AT_FDCWD, Buffer.from(source), O_RDONLY);
  const out = openAt(AT_FDCWD, Buffer.from(dest), O_WRONLY | O_CREAT | O_EXCL, 0o600);
  try {
    assert.equal(copyFileRange(src, MIB + 4096, out, 10, 100), 100);
    assert.equal(copyFileRange(src, 4 * MIB, out, 0, 100), 0);
  } finally {
    closeFd(src);
    closeFd(out);
  }
  assert.deepEqual(readFileSync(dest), Buffer.concat([Buffer.alloc(10), Buffer.alloc(100, 0x62)]));
});

test('a source shorter than the size asked for is reported as incomplete', () => {
  const source = createSparseFile(tmpfs.dir);
  const { dest, complete } = copy(source, tmpfs.dir, 4 * MIB + 1);
  assert.equal(complete, false);
  assert.equal(statSync(dest).size, 4 * MIB + 1);
});

test('a source that ends in data is copied to its last byte', () => {
  const path = join(ext4.dir, `dense${counter++}`);
  const fd = openAt(AT_FDCWD, Buffer.from(path), O_RDWR | O_CREAT | O_EXCL, 0o644);
  const content = Buffer.from(Array.from({ length: 3 * MIB + 7 }, (_, i) => (i * 31) & 0xff));
  try {
    writeFullyAt(fd, content, content.length, 0);
  } finally {
    closeFd(fd);
  }
  const { dest, complete } = copy(path, tmpfs.dir);
  assert.equal(complete, true);
  assert.deepEqual(readFileSync(dest), content);
});
