import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statfsSync, symlinkSync,
  truncateSync, writeFileSync, writeSync, type BigIntStats,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AT_FDCWD, O_DIRECTORY, O_RDONLY, O_WRONLY } from '../../src/sys/constants.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { getXattr, setXattr } from '../../src/sys/xattrs.js';
import { isSysError } from '../../src/sys/sys-error.js';
import { TEMP_DIR_NAME } from '../../src/store/temp-dir.js';
import { copyGuestFile, formatCopyName, type CopyOutcome } from '../../src/unify/copy-to-store.js';
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

/** A source file in a guest directory, and a storage root with its temporary directory. */
interface Case {
  dir: string;
  source: string;
  stat: BigIntStats;
  root: string;
}

function createCase(content: string | Buffer, meta: FileMeta = META, storeBase = base): Case {
  const dir = join(base, `c${counter++}`);
  mkdirSync(dir);
  const root = join(storeBase, `s${counter++}`);
  mkdirSync(join(root, TEMP_DIR_NAME.toString()), { recursive: true });
  const source = join(dir, 'source');
  const stat = writeFileWithMeta(source, content, meta);
  return { dir, source, stat, root };
}

function withDir<T>(path: string, fn: (fd: number) => T): T {
  const fd = openAt(AT_FDCWD, Buffer.from(path), O_RDONLY | O_DIRECTORY);
  try {
    return fn(fd);
  } finally {
    closeFd(fd);
  }
}

function copy(c: Case): CopyOutcome {
  return withDir(c.dir, (dirFd) => withDir(c.root, (rootFd) => copyGuestFile({ dirFd, name: Buffer.from('source') }, c.stat, rootFd, () => formatCopyName(true))));
}

/** The copy's path, after checking it sits in the root's temporary directory under `copy;XXXXXX`. */
function copyPath(c: Case, outcome: CopyOutcome): string {
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.match(outcome.copy.toString(), /^\.vhashify-tmp\/copy;[A-Za-z0-9]{6}$/);
  return join(c.root, outcome.copy.toString());
}

test('the copy has the source content, owner and mode, set-uid and set-gid bits included', () => {
  for (const mode of [0o4755, 0o2711, 0o6750, 0o1777, 0o600]) {
    const c = createCase('an executable with special bits\n', { ...META, uid: 4321, gid: 8765, mode });
    assert.equal(Number(c.stat.mode & 0o7777n), mode, 'the source was made right');
    const path = copyPath(c, copy(c));
    const st = lstatSync(path);
    assert.equal(st.mode, 0o100000 | mode, `mode ${mode.toString(8)}`);
    assert.equal(st.uid, 4321);
    assert.equal(st.gid, 8765);
    assert.equal(readFileSync(path, 'utf8'), 'an executable with special bits\n');
  }
});

test('owners up to 2^32-2 are kept', () => {
  const c = createCase('a file of the nobody of another system\n', { ...META, uid: 4294967294, gid: 4294967294 });
  const st = lstatSync(copyPath(c, copy(c)));
  assert.equal(st.uid, 4294967294);
  assert.equal(st.gid, 4294967294);
});

test('atime and mtime are copied to the nanosecond (upstream keeps whole seconds, QUIRK Q28)', () => {
  const c = createCase('times with a fractional part\n', { ...META, atime: new Date(1_234_567_890_987), mtime: new Date(1_111_111_111_555) });
  assert.equal(c.stat.mtimeNs, 1_111_111_111_555_000_000n);
  const st = lstatSync(copyPath(c, copy(c)), { bigint: true });
  assert.equal(st.mtimeNs, c.stat.mtimeNs);
  assert.equal(st.atimeNs, c.stat.atimeNs);
});

test('a time before 1970 is kept exactly, not replaced by now', () => {
  const c = createCase('a file from the sixties\n', { ...META, atime: new Date(-100_000_000_250), mtime: new Date(-123_456_789_500) });
  assert.equal(c.stat.mtimeNs, -123_456_789_500_000_000n);
  const st = lstatSync(copyPath(c, copy(c)), { bigint: true });
  assert.equal(st.mtimeNs, -123_456_789_500_000_000n);
  assert.equal(st.atimeNs, -100_000_000_250_000_000n);
});

test('a time after 2^32 seconds is kept', () => {
  const seconds = 2 ** 32 + 12_345;
  const c = createCase('a file from the far future\n', { ...META, mtime: new Date(seconds * 1000 + 999) });
  assert.equal(lstatSync(copyPath(c, copy(c)), { bigint: true }).mtimeNs, c.stat.mtimeNs);
});

test('content larger than any copy buffer arrives intact', () => {
  const content = randomBytes(3 * 1024 * 1024 + 123);
  const c = createCase(content);
  const path = copyPath(c, copy(c));
  assert.ok(readFileSync(path).equals(content));
  assert.equal(lstatSync(path).size, content.length);
});

test('holes of a sparse source stay holes and the content reads the same', () => {
  const c = createCase('placeholder content, replaced below\n');
  const fd = openSync(c.source, 'w');
  writeSync(fd, Buffer.from('data at the start\n'), 0, 18, 0);
  writeSync(fd, randomBytes(8192), 0, 8192, 4 * 1024 * 1024);
  writeSync(fd, Buffer.from('the end'), 0, 7, 16 * 1024 * 1024 - 7);
  closeSync(fd);
  c.stat = lstatSync(c.source, { bigint: true });
  assert.ok(c.stat.blocks * 512n <= 64n * 1024n, 'the source is sparse');
  const path = copyPath(c, copy(c));
  const copied = lstatSync(path, { bigint: true });
  assert.equal(copied.size, 16n * 1024n * 1024n);
  assert.ok(copied.blocks * 512n <= 64n * 1024n, `only the data pages are allocated (${copied.blocks} blocks)`);
  assert.ok(readFileSync(path).equals(readFileSync(c.source)));
});

test('zeros the source stores as data are copied as data (upstream punched every zero page)', () => {
  const page = 4096;
  const content = Buffer.concat([randomBytes(page), Buffer.alloc(page * 8), randomBytes(page)]);
  const c = createCase(content);
  const path = copyPath(c, copy(c));
  assert.ok(readFileSync(path).equals(content));
  assert.equal(lstatSync(path).blocks, lstatSync(c.source).blocks, 'as many blocks as the source');
});

test('the SELinux label is copied; nothing else is (files with other attributes are never copied)', (t) => {
  const c = createCase('a labelled file, sixteen bytes or more\n');
  const label = Buffer.from('system_u:object_r:bin_t:s0\0');
  const fd = openAt(AT_FDCWD, Buffer.from(c.source), O_WRONLY);
  try {
    setXattr(fd, 'security.selinux', label);
  } catch (error) {
    if (isSysError(error, 'EOPNOTSUPP') || isSysError(error, 'EPERM')) return t.skip(`this file system takes no security.selinux (${(error as Error).message})`);
    throw error;
  } finally {
    closeFd(fd);
  }
  const path = copyPath(c, copy(c));
  const copied = openAt(AT_FDCWD, Buffer.from(path), O_RDONLY);
  try {
    assert.deepEqual(getXattr(copied, 'security.selinux'), label);
  } finally {
    closeFd(copied);
  }
});

test('a source that is another inode than the walk saw fails silently and leaves nothing', () => {
  const c = createCase('the file the walk saw, sixteen+\n');
  const other = join(base, `other${counter++}`);
  writeFileSync(other, 'a file swapped in by the guest\n');
  renameSync(other, c.source);
  assert.deepEqual(copy(c), { ok: false });
  assert.deepEqual(readdirSync(join(c.root, '.vhashify-tmp')), []);
});

test('a source that vanished fails with open()', () => {
  const c = createCase('this file will be gone\n');
  renameSync(c.source, `${c.source}.gone`);
  assert.deepEqual(copy(c), { ok: false, message: 'open(): No such file or directory\n' });
  assert.deepEqual(readdirSync(join(c.root, '.vhashify-tmp')), []);
});

test('a symlink in place of the source is not followed', () => {
  const c = createCase('the walk saw a regular file\n');
  renameSync(c.source, `${c.source}.real`);
  writeFileSync(`${c.source}.target`, 'x'.repeat(100));
  symlinkSync(`${c.source}.target`, c.source);
  assert.deepEqual(copy(c), { ok: false, message: 'open(): Too many levels of symbolic links\n' });
});

test('a full store fails with write(): No space left on device and leaves no copy', () => {
  const free = statfsSync(tiny).bavail * statfsSync(tiny).bsize;
  const c = createCase(randomBytes(256 * 1024), META, tiny);
  assert.ok(free < 256 * 1024, `the tiny store has ${free} bytes free`);
  assert.deepEqual(copy(c), { ok: false, message: 'write(): No space left on device\n' });
  assert.deepEqual(readdirSync(join(c.root, '.vhashify-tmp')), []);
  assert.equal(statfsSync(tiny).bavail * statfsSync(tiny).bsize, free, 'the space is given back');
});

test('a source that shrank after it was hashified is reported as changed, and no copy is left', () => {
  const c = createCase('a file that will be cut short while it waits for its turn\n');
  truncateSync(c.source, 10);
  assert.deepEqual(copy(c), { ok: false, changed: true });
  assert.deepEqual(readdirSync(join(c.root, '.vhashify-tmp')), []);
});

test('a copy name already taken is retried under another name', () => {
  const c = createCase('content copied under a second name\n');
  const names = [Buffer.from('.vhashify-tmp/copy;TAKEN1'), Buffer.from('.vhashify-tmp/copy;FRESH1')];
  writeFileSync(join(c.root, names[0]!.toString()), 'a squatter');
  const outcome = withDir(c.dir, (dirFd) => withDir(c.root, (rootFd) =>
    copyGuestFile({ dirFd, name: Buffer.from('source') }, c.stat, rootFd, () => names.shift()!)));
  assert.deepEqual(outcome, { ok: true, copy: Buffer.from('.vhashify-tmp/copy;FRESH1') });
  assert.equal(readFileSync(join(c.root, '.vhashify-tmp', 'copy;TAKEN1'), 'utf8'), 'a squatter');
});
