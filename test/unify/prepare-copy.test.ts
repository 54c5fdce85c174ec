// The copy a hashing thread prepares for a digest the store has no entry for yet.
import assert from 'node:assert/strict';
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { formatCounterSuffix, formatDigestPath } from '../../src/store/entry-path.js';
import { prepareCopy } from '../../src/unify/prepare-copy.js';
import { createTmpfsDir, removeTmpfsDir } from '../store/tmpfs-fixture.js';
import { writeFileWithMeta } from './file-fixture.js';

let base = '';
let counter = 0;
before(() => {
  process.umask(0o022);
  base = createTmpfsDir('prepare-copy', '64m');
});
after(() => {
  if (base !== '') removeTmpfsDir(base);
});

const DIGEST = Buffer.from('2350ccae0123456789abcdef0123456789abcdef', 'hex');

function createCase(content: string) {
  const dir = join(base, `c${counter++}`);
  const rootPath = `${dir}/root/`;
  const tempDir = `${rootPath}.vhashify-tmp`;
  mkdirSync(tempDir, { recursive: true });
  const source = join(dir, 'source');
  const stat = writeFileWithMeta(source, content, { uid: 321, gid: 654, mode: 0o4751, mtime: new Date(1_234_567_890_000), atime: new Date(1_000_000_000_000) });
  return { rootPath, tempDir, source, stat, slot: rootPath + formatDigestPath(DIGEST) + formatCounterSuffix(0) };
}

function prepare(c: ReturnType<typeof createCase>): Buffer | undefined {
  const fd = openSync(c.source, 'r');
  try {
    return prepareCopy(fd, c.stat, DIGEST, { rootPath: c.rootPath, tempDir: c.tempDir });
  } finally {
    closeSync(fd);
  }
}

test('a free slot: the copy is written to the temporary directory with content, owner, mode and whole-second times, and the xx/yy directories exist', () => {
  const c = createCase('the content of a future store entry\n');
  const copy = prepare(c);
  assert.ok(copy !== undefined);
  assert.equal(copy.toString().startsWith(`${c.tempDir}/copy;`), true, copy.toString());
  const st = lstatSync(copy, { bigint: true }); // before reading it, which would set its atime
  assert.equal(readFileSync(copy, 'utf8'), 'the content of a future store entry\n');
  assert.notEqual(st.ino, c.stat.ino, 'a new inode, not the guest file');
  assert.equal(st.nlink, 1n);
  assert.deepEqual([st.uid, st.gid, st.mode & 0o7777n, st.mtimeNs, st.atimeNs], [321n, 654n, 0o4751n, 1_234_567_890_000_000_000n, 1_000_000_000_000_000_000n]);
  const fanOut = join(c.rootPath, '23', '50');
  assert.equal(lstatSync(fanOut).isDirectory(), true);
  assert.equal(lstatSync(fanOut).mode & 0o777, 0o700);
  assert.deepEqual(readdirSync(fanOut), [], 'the slot itself is left to the main thread');
});

test('a taken slot (an entry or anything else at counter 0): nothing is written', () => {
  const c = createCase('content whose digest is already in the store\n');
  mkdirSync(join(c.rootPath, '23', '50'), { recursive: true });
  writeFileSync(c.slot, 'an entry\n');
  assert.equal(prepare(c), undefined);
  assert.deepEqual(readdirSync(c.tempDir), []);
});

test('a temporary directory that is gone: nothing is prepared, nothing thrown', () => {
  const c = createCase('no place to write\n');
  assert.equal(prepareCopy(openSync(c.source, 'r'), c.stat, DIGEST, { rootPath: c.rootPath, tempDir: `${c.tempDir}-missing` }), undefined);
});
