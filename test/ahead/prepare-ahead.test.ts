// What a hashing thread prepares for a commit: a copy for a free slot, a comparison with a taken one.
import assert from 'node:assert/strict';
import { closeSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isComparedEntry, prepareAhead, type AheadPlan } from '../../src/ahead/prepare-ahead.js';
import { formatCounterSuffix, formatDigestPath } from '../../src/store/entry-path.js';
import { AT_FDCWD, O_DIRECTORY, O_RDONLY } from '../../src/sys/constants.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { createTmpfsDir, removeTmpfsDir } from '../store/tmpfs-fixture.js';
import { writeFileWithMeta, type FileMeta } from '../unify/file-fixture.js';

let base = '';
let counter = 0;
const openRoots: number[] = [];
before(() => {
  process.umask(0o022);
  base = createTmpfsDir('prepare-ahead', '64m');
});
after(() => {
  for (const fd of openRoots) closeFd(fd);
  if (base !== '') removeTmpfsDir(base);
});

const DIGEST = Buffer.from('2350ccae0123456789abcdef0123456789abcdef', 'hex');
const META: FileMeta = { uid: 321, gid: 654, mode: 0o4751, mtime: new Date(1_234_567_890_000), atime: new Date(1_000_000_000_000) };

function createCase(content: string) {
  const dir = join(base, `c${counter++}`);
  const rootPath = `${dir}/root/`;
  const tempDir = `${rootPath}.vhashify-tmp`;
  mkdirSync(tempDir, { recursive: true });
  const source = join(dir, 'source');
  const stat = writeFileWithMeta(source, content, META);
  const slot = rootPath + formatDigestPath(DIGEST) + formatCounterSuffix(0);
  const rootFd = openAt(AT_FDCWD, Buffer.from(rootPath), O_RDONLY | O_DIRECTORY);
  openRoots.push(rootFd);
  return { rootPath, tempDir, source, stat, slot, plan: { rootFd, copy: true, ignoreMtime: false } as AheadPlan };
}

function prepare(c: ReturnType<typeof createCase>, plan: AheadPlan = c.plan) {
  const fd = openSync(c.source, 'r');
  try {
    return prepareAhead(fd, c.stat, DIGEST, plan);
  } finally {
    closeSync(fd);
  }
}

function createEntry(c: ReturnType<typeof createCase>, content: string, meta: FileMeta = META) {
  mkdirSync(join(c.rootPath, '23', '50'), { recursive: true });
  return writeFileWithMeta(c.slot, content, meta);
}

test('a free slot in copy mode: the copy is written to the temporary directory with content, owner, mode and exact times, and the xx/yy directories exist', () => {
  const c = createCase('the content of a future store entry\n');
  const { copy, sameAs } = prepare(c);
  assert.equal(sameAs, undefined);
  assert.ok(copy !== undefined);
  assert.match(copy.toString(), /^\.vhashify-tmp\/copy;[A-Za-z0-9]{6}$/);
  const path = join(c.rootPath, copy.toString());
  const st = lstatSync(path, { bigint: true }); // before reading it, which would set its atime
  assert.equal(readFileSync(path, 'utf8'), 'the content of a future store entry\n');
  assert.notEqual(st.ino, c.stat.ino, 'a new inode, not the guest file');
  assert.equal(st.nlink, 1n);
  assert.deepEqual([st.uid, st.gid, st.mode & 0o7777n, st.mtimeNs, st.atimeNs], [321n, 654n, 0o4751n, c.stat.mtimeNs, c.stat.atimeNs]);
  const fanOut = join(c.rootPath, '23', '50');
  assert.equal(lstatSync(fanOut).mode & 0o777, 0o700);
  assert.deepEqual(readdirSync(fanOut), [], 'the slot itself is left to the main thread');
});

test('a free slot in in-place mode: nothing is prepared', () => {
  const c = createCase('sledgehammer links the file itself\n');
  assert.deepEqual(prepare(c, { ...c.plan, copy: false }), {});
  assert.deepEqual(readdirSync(c.tempDir), []);
});

test('a taken slot with the same bytes and attributes: the entry is named as compared, and nothing is written', () => {
  const c = createCase('content already in the store\n');
  const entry = createEntry(c, 'content already in the store\n');
  const prepared = prepare(c);
  assert.deepEqual(prepared, { sameAs: { ino: entry.ino, ctimeNs: entry.ctimeNs } });
  assert.deepEqual(readdirSync(c.tempDir), []);
  assert.equal(isComparedEntry(prepared.sameAs, 0, lstatSync(c.slot, { bigint: true })), true);
  assert.equal(isComparedEntry(prepared.sameAs, 1, lstatSync(c.slot, { bigint: true })), false, 'only counter 0 was compared');
  // A link to the entry (another guest's file) moves its ctime: the main thread must compare again.
  linkSync(c.slot, join(c.rootPath, 'another-link'));
  assert.equal(isComparedEntry(prepared.sameAs, 0, lstatSync(c.slot, { bigint: true })), false);
});

test('a taken slot with other bytes, other attributes, or something other than a file: no verdict', () => {
  const c = createCase('content that collides\n');
  createEntry(c, 'content that COLLIDES\n');
  assert.deepEqual(prepare(c), {});
  const d = createCase('content with another owner\n');
  createEntry(d, 'content with another owner\n', { ...META, uid: 1 });
  assert.deepEqual(prepare(d), {});
  const e = createCase('a directory sits in the slot\n');
  mkdirSync(e.slot, { recursive: true });
  assert.deepEqual(prepare(e), {});
  writeFileSync(join(e.slot, 'x'), '');
});

test('a temporary directory that is gone: nothing is prepared, nothing thrown', () => {
  const c = createCase('no place to write\n');
  rmdirSync(c.tempDir);
  assert.deepEqual(prepare(c), {});
});
