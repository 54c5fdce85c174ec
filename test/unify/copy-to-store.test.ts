import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statfsSync, symlinkSync,
  truncateSync, writeFileSync, writeSync, type BigIntStats, type PathLike,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { copyToStore } from '../../src/unify/copy-to-store.js';
import { realFsOps, type FsOps } from '../../src/unify/fs-ops.js';
import { createTmpfsDir, removeTmpfsDir } from '../store/tmpfs-fixture.js';
import { writeFileWithMeta, type FileMeta } from './file-fixture.js';

let base = '';
let tiny = '';
let counter = 0;
before(() => {
  process.umask(0o022);
  base = createTmpfsDir('copy-to-store', '256m');
  tiny = createTmpfsDir('copy-to-store-tiny', '64k');
});
after(() => {
  if (base !== '') removeTmpfsDir(base);
  if (tiny !== '') removeTmpfsDir(tiny);
});

const META: FileMeta = { uid: 1000, gid: 1000, mode: 0o644, mtime: new Date(1_000_000_000_000) };

// A source file and a claimed slot (an empty 0200 placeholder, as the collision loop leaves it).
function createCase(content: string | Buffer, meta: FileMeta = META, storeBase = base) {
  const dir = join(base, `c${counter++}`);
  mkdirSync(dir);
  const storeDir = join(storeBase, `s${counter++}`);
  mkdirSync(storeDir);
  const source = join(dir, 'source');
  const stat = writeFileWithMeta(source, content, meta);
  const slot = join(storeDir, 'entry-00000000');
  writeFileSync(slot, '');
  chmodSync(slot, 0o200);
  return { source, stat, slot, storeDir };
}

function copy(c: { source: string; stat: BigIntStats; slot: string }, ops?: FsOps) {
  return copyToStore(Buffer.from(c.source), c.stat, c.slot, ops);
}

test('the copy has the source owner and mode, set-uid and set-gid bits included', () => {
  for (const mode of [0o4755, 0o2711, 0o6750, 0o1777, 0o600]) {
    const c = createCase('an executable with special bits\n', { ...META, uid: 4321, gid: 8765, mode });
    assert.equal(Number(c.stat.mode & 0o7777n), mode, 'the source was made right');
    assert.deepEqual(copy(c), { ok: true });
    const st = lstatSync(c.slot);
    assert.equal(st.mode, 0o100000 | mode, `mode ${mode.toString(8)}`);
    assert.equal(st.uid, 4321);
    assert.equal(st.gid, 8765);
  }
});

test('owners up to 2^32-2 are kept', () => {
  const c = createCase('a file of the nobody of another system\n', { ...META, uid: 4294967294, gid: 4294967294 });
  assert.deepEqual(copy(c), { ok: true });
  assert.equal(lstatSync(c.slot).uid, 4294967294);
  assert.equal(lstatSync(c.slot).gid, 4294967294);
});

test('atime and mtime are copied in whole seconds (QUIRK Q28)', () => {
  const c = createCase('times with a fractional part\n', { ...META, atime: new Date(1_234_567_890_987), mtime: new Date(1_111_111_111_555) });
  assert.equal(c.stat.mtimeNs, 1_111_111_111_555_000_000n);
  assert.deepEqual(copy(c), { ok: true });
  const st = lstatSync(c.slot, { bigint: true });
  assert.equal(st.mtimeNs, 1_111_111_111_000_000_000n);
  assert.equal(st.atimeNs, (c.stat.atimeNs / 1_000_000_000n) * 1_000_000_000n);
});

test('a time before 1970 is rounded down to its whole second, not replaced by now', () => {
  const c = createCase('a file from the sixties\n', { ...META, atime: new Date(-100_000_000_250), mtime: new Date(-123_456_789_500) });
  assert.equal(c.stat.mtimeNs, -123_456_789_500_000_000n);
  assert.deepEqual(copy(c), { ok: true });
  const st = lstatSync(c.slot, { bigint: true });
  assert.equal(st.mtimeNs, -123_456_790_000_000_000n);
  assert.equal(st.atimeNs, -100_000_001_000_000_000n);
});

test('a time after 2^32 seconds is kept', () => {
  const seconds = 2 ** 32 + 12_345;
  const c = createCase('a file from the far future\n', { ...META, mtime: new Date(seconds * 1000 + 999) });
  assert.deepEqual(copy(c), { ok: true });
  assert.equal(lstatSync(c.slot, { bigint: true }).mtimeNs, BigInt(seconds) * 1_000_000_000n);
});

test('content larger than the copy buffer arrives intact', () => {
  const content = randomBytes(3 * 1024 * 1024 + 123);
  const c = createCase(content);
  assert.deepEqual(copy(c), { ok: true });
  assert.ok(readFileSync(c.slot).equals(content));
  assert.equal(lstatSync(c.slot).size, content.length);
});

test('holes of a sparse file stay holes and the content reads the same', () => {
  const dir = join(base, `sparse${counter++}`);
  mkdirSync(dir);
  const source = join(dir, 'sparse');
  const fd = openSync(source, 'w');
  writeSync(fd, Buffer.from('data at the start\n'), 0, 18, 0);
  writeSync(fd, randomBytes(8192), 0, 8192, 4 * 1024 * 1024);
  writeSync(fd, Buffer.from('the end'), 0, 7, 16 * 1024 * 1024 - 7);
  closeSync(fd);
  const stat = writeFileWithMeta(source, readFileSync(source), META); // same bytes, now dense
  assert.ok(stat.blocks * 512n >= 16n * 1024n * 1024n, 'the rewritten source is dense');
  const slot = join(dir, 'entry');
  writeFileSync(slot, '');
  assert.deepEqual(copyToStore(Buffer.from(source), stat, slot), { ok: true });
  const copied = lstatSync(slot, { bigint: true });
  assert.equal(copied.size, 16n * 1024n * 1024n);
  assert.ok(copied.blocks * 512n <= 64n * 1024n, `only the data pages are allocated (${copied.blocks} blocks)`);
  assert.ok(readFileSync(slot).equals(readFileSync(source)));
});

test('a zero page between data pages is left as a hole', () => {
  const page = 4096;
  const content = Buffer.concat([randomBytes(page), Buffer.alloc(page * 8), randomBytes(page)]);
  const c = createCase(content);
  assert.deepEqual(copy(c), { ok: true });
  const st = lstatSync(c.slot);
  assert.ok(readFileSync(c.slot).equals(content));
  assert.ok(st.blocks * 512 < content.length, `${st.blocks} blocks for ${content.length} bytes`);
});

test('the placeholder is replaced in one rename by a complete file', () => {
  const c = createCase('content that must be complete before it shows up in the store\n', { ...META, mode: 0o4751, uid: 7 });
  const renames: string[] = [];
  const ops: FsOps = {
    ...realFsOps,
    rename(from: PathLike, to: PathLike) {
      renames.push(`${String(from)} -> ${String(to)}`);
      // At this instant the slot is still the empty placeholder and the temporary is finished.
      assert.equal(lstatSync(c.slot).size, 0);
      const temp = lstatSync(from);
      assert.equal(readFileSync(from, 'utf8'), 'content that must be complete before it shows up in the store\n');
      assert.equal(temp.mode, 0o104751);
      assert.equal(temp.uid, 7);
      assert.equal(temp.mtimeMs, META.mtime.getTime());
      realFsOps.rename(from, to);
    },
  };
  assert.deepEqual(copy(c, ops), { ok: true });
  assert.equal(renames.length, 1);
  assert.match(renames[0]!, new RegExp(`^${c.slot};[A-Za-z0-9]{6} -> ${c.slot}$`));
  assert.deepEqual(readdirSync(c.storeDir), ['entry-00000000']);
});

test('a source that is another inode than the walk saw fails silently, leaving the placeholder', () => {
  const c = createCase('the file the walk saw, sixteen+\n');
  const other = join(base, `other${counter++}`);
  writeFileSync(other, 'a file swapped in by the guest\n');
  renameSync(other, c.source);
  assert.deepEqual(copy(c), { ok: false });
  assert.deepEqual(readdirSync(c.storeDir), ['entry-00000000']);
  assert.equal(lstatSync(c.slot).size, 0);
});

test('a source that vanished fails with open()', () => {
  const c = createCase('this file will be gone\n');
  renameSync(c.source, `${c.source}.gone`);
  assert.deepEqual(copy(c), { ok: false, message: 'open(): No such file or directory\n' });
  assert.deepEqual(readdirSync(c.storeDir), ['entry-00000000']);
});

test('a symlink in place of the source is not followed', () => {
  const c = createCase('the walk saw a regular file\n');
  renameSync(c.source, `${c.source}.real`);
  writeFileSync(`${c.source}.target`, 'x'.repeat(100));
  symlinkSync(`${c.source}.target`, c.source);
  assert.deepEqual(copy(c), { ok: false, message: 'open(): Too many levels of symbolic links\n' });
});

test('a full store fails with write(): No space left on device and leaves no temporary', () => {
  const free = statfsSync(tiny).bavail * statfsSync(tiny).bsize;
  const c = createCase(randomBytes(256 * 1024), META, tiny);
  assert.ok(free < 256 * 1024, `the tiny store has ${free} bytes free`);
  assert.deepEqual(copy(c), { ok: false, message: 'write(): No space left on device\n' });
  assert.deepEqual(readdirSync(c.storeDir), ['entry-00000000'], 'only the placeholder remains');
  assert.equal(statfsSync(tiny).bavail * statfsSync(tiny).bsize, free, 'the space is given back');
});

test('a failing rename removes the temporary and says rename()', () => {
  const c = createCase('content that never makes it\n');
  const ops: FsOps = {
    ...realFsOps,
    rename() {
      throw Object.assign(new Error('injected'), { code: 'EIO' });
    },
  };
  assert.deepEqual(copy(c, ops), { ok: false, message: 'rename(): Input/output error\n' });
  assert.deepEqual(readdirSync(c.storeDir), ['entry-00000000']);
});

test('a source that shrank after it was hashified is reported as changed, and no copy is left', () => {
  const c = createCase('a file that will be cut short while it waits for its turn\n');
  truncateSync(c.source, 10);
  assert.deepEqual(copy(c), { ok: false, changed: true });
  assert.deepEqual(readdirSync(c.storeDir).filter((n) => n.includes(';')), []);
});
