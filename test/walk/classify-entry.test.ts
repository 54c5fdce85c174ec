import assert from 'node:assert/strict';
import { linkSync, lstatSync, mkdirSync, symlinkSync, writeFileSync, type BigIntStats } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  classifyEntry, MIN_HASHED_SIZE, type ClassifyContext, type ProtectionState,
} from '../../src/walk/classify-entry.js';
import { createTmpfsDir, removeTmpfsDir } from '../store/tmpfs-fixture.js';

// Node has no mkfifo; the coreutils tool makes one.
function createFifo(path: string): void {
  assert.equal(spawnSync('mkfifo', [path]).status, 0, `mkfifo ${path}`);
}

let base = '';
before(() => {
  base = createTmpfsDir('classify');
  writeFileSync(join(base, 'big'), 'sixteen bytes!!!');
  writeFileSync(join(base, 'small'), 'fifteen bytes!!');
  writeFileSync(join(base, 'empty'), '');
  writeFileSync(join(base, 'shared'), 'a file with two names');
  linkSync(join(base, 'shared'), join(base, 'shared-2'));
  symlinkSync('big', join(base, 'link-to-file'));
  mkdirSync(join(base, 'dir'));
  symlinkSync('dir', join(base, 'link-to-dir'));
  createFifo(join(base, 'fifo'));
});
after(() => {
  if (base !== '') removeTmpfsDir(base);
});

function lstatOf(name: string): BigIntStats {
  return lstatSync(join(base, name), { bigint: true });
}

const ROOT = { name: 'the root' };

// A context that records what classification asked, in order.
/** Where the file is: a directory descriptor (any number: nothing is opened) and its name. */
function at(name: string, dirFd = 7): { dirFd: number; name: Buffer } {
  return { dirFd, name: Buffer.from(name) };
}

function createContext(protection: ProtectionState, opts: { refresh?: boolean; root?: boolean } = {}) {
  const calls: string[] = [];
  const ctx: ClassifyContext<typeof ROOT, BigIntStats> = {
    refresh: opts.refresh ?? false,
    queryProtection(stat, at) {
      calls.push(`query ${stat.ino} ${at.dirFd}/${at.name.toString()}`);
      return protection;
    },
    findRoot(dev: bigint) {
      calls.push(`root ${dev}`);
      return opts.root === false ? undefined : ROOT;
    },
  };
  return { ctx, calls };
}

test('the hashing threshold is upstream\'s sixteen bytes', () => {
  assert.equal(MIN_HASHED_SIZE, 16n);
});

test('a symlink is a symlink first, whatever it points to, and nothing is asked', () => {
  for (const name of ['link-to-file', 'link-to-dir']) {
    const { ctx, calls } = createContext('unsupported', { root: false });
    assert.deepEqual(classifyEntry(lstatOf(name), at(name), ctx), { kind: 'skip', reason: 'symlink' });
    assert.deepEqual(calls, []);
  }
});

test('fifos and directories are non regular files before any size or protection check', () => {
  for (const name of ['fifo', 'dir']) {
    const { ctx, calls } = createContext('unsupported', { root: false });
    assert.deepEqual(classifyEntry(lstatOf(name), at(name), ctx), { kind: 'skip', reason: 'non regular file' });
    assert.deepEqual(calls, []);
  }
});

test('a regular file under sixteen bytes is too small before protection is queried', () => {
  for (const name of ['small', 'empty']) {
    const { ctx, calls } = createContext('unsupported', { root: false });
    assert.deepEqual(classifyEntry(lstatOf(name), at(name), ctx), { kind: 'skip', reason: 'too small' });
    assert.deepEqual(calls, []);
  }
});

test('unsupported protection skips the file before the device is looked at', () => {
  const { ctx, calls } = createContext('unsupported', { root: false });
  const st = lstatOf('big');
  assert.deepEqual(classifyEntry(st, at('big', 9), ctx), { kind: 'skip', reason: 'operation not supported' });
  assert.deepEqual(calls, [`query ${st.ino} 9/big`]);
});

test('a busy file with several links is already unified unless --refresh is given', () => {
  const st = lstatOf('shared');
  assert.equal(st.nlink, 2n);
  const plain = createContext('busy');
  assert.deepEqual(classifyEntry(st, at('shared'), plain.ctx), { kind: 'skip', reason: 'already unified' });
  assert.equal(plain.calls.length, 1, 'no root lookup for a skipped file');
  const refreshed = createContext('busy', { refresh: true });
  assert.deepEqual(classifyEntry(st, at('shared'), refreshed.ctx), { kind: 'candidate', root: ROOT });
});

test('a busy file with a single link gets an implicit refresh', () => {
  const st = lstatOf('big');
  assert.equal(st.nlink, 1n);
  const { ctx } = createContext('busy');
  assert.deepEqual(classifyEntry(st, at('big'), ctx), { kind: 'candidate', root: ROOT });
});

test('a linkable file without a storage root for its device has no matching device', () => {
  const { ctx, calls } = createContext('linkable', { root: false });
  const st = lstatOf('big');
  assert.deepEqual(classifyEntry(st, at('big'), ctx), { kind: 'skip', reason: 'no matching device' });
  assert.deepEqual(calls, [`query ${st.ino} 7/big`, `root ${st.dev}`]);
});

test('a linkable file of sixteen bytes or more with a root is a candidate for that root', () => {
  const { ctx, calls } = createContext('linkable');
  const st = lstatOf('big');
  assert.equal(st.size, 16n);
  assert.deepEqual(classifyEntry(st, at('big'), ctx), { kind: 'candidate', root: ROOT });
  assert.deepEqual(calls, [`query ${st.ino} 7/big`, `root ${st.dev}`]);
});
