import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs, {
  mkdirSync, opendirSync, readdirSync, readlinkSync, renameSync, symlinkSync, unlinkSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { MatchDecision } from '../../src/exclude/match-list.js';
import { classifyEntry } from '../../src/walk/classify-entry.js';
import { openRootDir, releaseDir, type DirHandle } from '../../src/walk/dir-handle.js';
import { openGuestFile } from '../../src/walk/guest-read.js';
import { walkTree, type DecidePath, type WalkItem } from '../../src/walk/walk-tree.js';
import { createTmpfsDir, removeTmpfsDir } from '../store/tmpfs-fixture.js';
import { withSwapAfterLstat } from './lstat-race.js';

// Node has no mkfifo; the coreutils tool makes one.
function createFifo(path: string): void {
  assert.equal(spawnSync('mkfifo', [path]).status, 0, `mkfifo ${path}`);
}

let base = '';
let counter = 0;
before(() => {
  base = createTmpfsDir('walk-tree');
});
after(() => {
  if (base !== '') removeTmpfsDir(base);
});

const INCLUDE: MatchDecision = { verdict: 'include' };
const includeAll: DecidePath = () => INCLUDE;

function createDir(): string {
  const dir = join(base, `t${counter++}`);
  mkdirSync(dir);
  return dir;
}

function bytesPath(dir: string, name: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${dir}/`), name]);
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

// One line per item, paths as latin1 so every byte shows; entries' directories are released.
function walkLines(dir: string, decide: DecidePath = includeAll): string[] {
  const root = openRootDir(dir);
  const lines: string[] = [];
  try {
    for (const item of walkTree(root, Buffer.from('/'), decide)) {
      lines.push(`${item.kind} ${item.path.toString('latin1')}`);
      if (item.kind === 'entry') releaseDir(item.dir);
    }
  } finally {
    releaseDir(root);
  }
  return lines;
}

function walkItems(dir: string, decide: DecidePath = includeAll): WalkItem[] {
  const root = openRootDir(dir);
  const items: WalkItem[] = [];
  try {
    for (const item of walkTree(root, Buffer.from('/'), decide)) {
      items.push(item);
      if (item.kind === 'entry') releaseDir(item.dir);
    }
  } finally {
    releaseDir(root);
  }
  return items;
}

// The order upstream visits: each directory's raw readdir order, depth first, pre-order, `.`/`..` first.
function expectedLines(dir: string, guestPath: string): string[] {
  const lines = [`dotfile ${guestPath === '/' ? '' : guestPath}/.`, `dotfile ${guestPath === '/' ? '' : guestPath}/..`];
  const handle = opendirSync(dir);
  const names: string[] = [];
  for (let ent = handle.readSync(); ent !== null; ent = handle.readSync()) names.push(ent.name);
  handle.closeSync();
  for (const name of names) {
    const path = `${guestPath === '/' ? '' : guestPath}/${name}`;
    if (fs.lstatSync(join(dir, name)).isDirectory()) lines.push(...expectedLines(join(dir, name), path));
    else lines.push(`entry ${path}`);
  }
  return lines;
}

test('the walk follows raw readdir order depth first, not sorted order', () => {
  const dir = createDir();
  // Created in ascending order, so tmpfs lists them descending.
  writeFileSync(join(dir, 'a'), 'a');
  mkdirSync(join(dir, 'b'));
  writeFileSync(join(dir, 'b', 'x'), 'x');
  writeFileSync(join(dir, 'b', 'y'), 'y');
  mkdirSync(join(dir, 'b', 'z'));
  writeFileSync(join(dir, 'b', 'z', 'deep'), 'deep');
  writeFileSync(join(dir, 'c'), 'c');
  const lines = walkLines(dir);
  assert.deepEqual(lines, expectedLines(dir, '/'));
  assert.deepEqual(lines, [
    'dotfile /.', 'dotfile /..',
    'entry /c',
    'dotfile /b/.', 'dotfile /b/..',
    'dotfile /b/z/.', 'dotfile /b/z/..', 'entry /b/z/deep',
    'entry /b/y', 'entry /b/x',
    'entry /a',
  ]);
});

test('the order follows the directory, also after entries were re-created', () => {
  const dir = createDir();
  for (const name of ['m', 'k', 'q']) writeFileSync(join(dir, name), name);
  renameSync(join(dir, 'k'), join(dir, 'k2'));
  renameSync(join(dir, 'k2'), join(dir, 'k'));
  const lines = walkLines(dir);
  assert.deepEqual(lines, expectedLines(dir, '/'));
  assert.deepEqual(lines.slice(2), ['entry /k', 'entry /q', 'entry /m']);
});

test('every directory reports . and .. before its own entries, and directories are not yielded themselves', () => {
  const dir = createDir();
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'f'), 'f');
  const lines = walkLines(dir);
  assert.deepEqual(lines, ['dotfile /.', 'dotfile /..', 'dotfile /sub/.', 'dotfile /sub/..', 'entry /sub/f']);
});

test('an excluded directory is reported once and not entered; its names are never even decided', () => {
  const dir = createDir();
  mkdirSync(join(dir, 'skip'));
  writeFileSync(join(dir, 'skip', 'inside'), 'x');
  mkdirSync(join(dir, 'skip', 'deeper'));
  writeFileSync(join(dir, 'keep'), 'x');
  const decided: string[] = [];
  const exclude: MatchDecision = { verdict: 'exclude' };
  const items = walkItems(dir, (path) => {
    decided.push(path.toString('latin1'));
    return path.toString('latin1') === '/skip' ? exclude : INCLUDE;
  });
  assert.deepEqual(items.map((i) => `${i.kind} ${i.path.toString('latin1')}`), [
    'dotfile /.', 'dotfile /..', 'entry /keep', 'excluded /skip',
  ]);
  const excluded = items.find((i) => i.kind === 'excluded');
  assert.ok(excluded !== undefined && excluded.kind === 'excluded');
  assert.equal(excluded.decision, exclude);
  assert.deepEqual(decided.sort(), ['/keep', '/skip']);
});

test('a symlink to a directory outside the tree is an entry classified as symlink; nothing behind it is visited', () => {
  const dir = createDir();
  const outside = createDir();
  writeFileSync(join(outside, 'secret'), 'outside the guest, at least sixteen bytes');
  mkdirSync(join(outside, 'more'));
  mkdirSync(join(dir, 'guest'));
  symlinkSync(outside, join(dir, 'guest', 'link'));
  writeFileSync(join(dir, 'guest', 'own'), 'x');
  const decided: string[] = [];
  const root = openRootDir(join(dir, 'guest'));
  const seen: string[] = [];
  try {
    for (const item of walkTree(root, Buffer.from('/'), (p) => (decided.push(p.toString('latin1')), INCLUDE))) {
      seen.push(`${item.kind} ${item.path.toString('latin1')}`);
      if (item.kind !== 'entry') continue;
      try {
        if (item.path.toString() === '/link') {
          assert.ok(item.stat.isSymbolicLink());
          const verdict = classifyEntry(item.stat, { dirFd: item.dir.fd, name: item.name }, {
            refresh: false,
            queryProtection: () => assert.fail('a symlink is never queried'),
            findRoot: () => assert.fail('a symlink needs no root'),
          });
          assert.deepEqual(verdict, { kind: 'skip', reason: 'symlink' });
        }
      } finally {
        releaseDir(item.dir);
      }
    }
  } finally {
    releaseDir(root);
  }
  assert.deepEqual(seen, ['dotfile /.', 'dotfile /..', 'entry /own', 'entry /link']);
  assert.deepEqual(decided.sort(), ['/link', '/own']);
});

test('names with a newline, invalid UTF-8 and 255 bytes survive as exact bytes', () => {
  const dir = createDir();
  mkdirSync(join(dir, 'sub'));
  const names = [Buffer.from('new\nline'), Buffer.from([0xff, 0xfe, 0x80, 0xc3]), Buffer.alloc(255, 0xe9)];
  for (const name of names) {
    writeFileSync(bytesPath(dir, name), 'top');
    writeFileSync(bytesPath(join(dir, 'sub'), name), 'nested');
  }
  const entries = walkItems(dir).filter((i): i is Extract<WalkItem, { kind: 'entry' }> => i.kind === 'entry');
  assert.equal(entries.length, 6);
  for (const name of names) {
    const top = entries.find((e) => e.path.equals(Buffer.concat([Buffer.from('/'), name])));
    assert.ok(top !== undefined, `top-level ${name.toString('hex')}`);
    assert.ok(top.name.equals(name));
    assert.ok(Buffer.isBuffer(top.name));
    const nested = entries.find((e) => e.path.equals(Buffer.concat([Buffer.from('/sub/'), name])));
    assert.ok(nested !== undefined, `nested ${name.toString('hex')}`);
    assert.ok(nested.name.equals(name));
    assert.equal(nested.stat.size, 6n);
  }
});

test('a name that vanished before its lstat is reported as lstat-failed and the walk goes on', () => {
  const dir = createDir();
  writeFileSync(join(dir, 'after'), 'x');
  writeFileSync(join(dir, 'gone'), 'x');
  writeFileSync(join(dir, 'before'), 'x');
  const items = walkItems(dir, (path) => {
    if (path.toString() === '/gone') unlinkSync(join(dir, 'gone'));
    return INCLUDE;
  });
  assert.deepEqual(items.map((i) => `${i.kind} ${i.path.toString('latin1')}`), [
    'dotfile /.', 'dotfile /..', 'entry /before', 'lstat-failed /gone', 'entry /after',
  ]);
  const failed = items[3]!;
  assert.ok(failed.kind === 'lstat-failed');
  assert.equal(failed.error.code, 'ENOENT');
});

test('a directory swapped for another between lstat and open is reported as dir-failed and not entered', () => {
  const dir = createDir();
  writeFileSync(join(dir, 'z'), 'z');
  mkdirSync(join(dir, 'victim'));
  writeFileSync(join(dir, 'victim', 'original'), 'x');
  writeFileSync(join(dir, 'a'), 'a');
  const items = withSwapAfterLstat('victim', () => {
    renameSync(join(dir, 'victim'), join(dir, 'moved'));
    mkdirSync(join(dir, 'victim'));
    writeFileSync(join(dir, 'victim', 'planted'), 'x');
  }, () => walkItems(dir));
  assert.deepEqual(items.map((i) => `${i.kind} ${i.path.toString('latin1')}`), [
    'dotfile /.', 'dotfile /..', 'entry /a', 'dir-failed /victim', 'entry /z',
  ]);
  const failed = items[3]!;
  assert.ok(failed.kind === 'dir-failed');
  assert.equal(failed.error.code, 'EINVAL');
});

test('a directory swapped for a symlink between lstat and open is reported as dir-failed', () => {
  const dir = createDir();
  const outside = createDir();
  writeFileSync(join(outside, 'secret'), 'x');
  mkdirSync(join(dir, 'victim'));
  writeFileSync(join(dir, 'a'), 'a');
  const items = withSwapAfterLstat('victim', () => {
    renameSync(join(dir, 'victim'), join(dir, 'moved'));
    symlinkSync(outside, join(dir, 'victim'));
  }, () => walkItems(dir));
  assert.deepEqual(items.map((i) => `${i.kind} ${i.path.toString('latin1')}`), [
    'dotfile /.', 'dotfile /..', 'entry /a', 'dir-failed /victim',
  ]);
});

test('special files are yielded as entries with their lstat', () => {
  const dir = createDir();
  createFifo(join(dir, 'fifo'));
  symlinkSync('dangling', join(dir, 'link'));
  const entries = walkItems(dir).filter((i): i is Extract<WalkItem, { kind: 'entry' }> => i.kind === 'entry');
  assert.deepEqual(entries.map((e) => e.path.toString()), ['/link', '/fifo']);
  assert.ok(entries[0]!.stat.isSymbolicLink());
  assert.ok(entries[1]!.stat.isFIFO());
});

test('every directory descriptor is closed after a full walk', () => {
  const dir = createDir();
  let path = dir;
  for (let depth = 0; depth < 8; depth += 1) {
    writeFileSync(join(path, 'f'), 'x');
    path = join(path, `d${depth}`);
    mkdirSync(path);
  }
  const before = countOpenFds();
  const lines = walkLines(dir);
  assert.equal(lines.filter((l) => l.startsWith('entry ')).length, 8);
  assert.equal(countOpenFds(), before);
});

test('every directory descriptor is closed when the consumer stops early', () => {
  const dir = createDir();
  let path = dir;
  for (let depth = 0; depth < 5; depth += 1) {
    path = join(path, `d${depth}`);
    mkdirSync(path);
  }
  writeFileSync(join(path, 'deepest'), 'x');
  const before = countOpenFds();
  const root: DirHandle = openRootDir(dir);
  let found = false;
  for (const item of walkTree(root, Buffer.from('/'), includeAll)) {
    if (item.kind !== 'entry') continue;
    assert.ok(countOpenFds() > before + 5, 'the nested directories are open while inside them');
    releaseDir(item.dir);
    found = true;
    break;
  }
  releaseDir(root);
  assert.ok(found);
  assert.equal(countOpenFds(), before);
});

test('an entry keeps its directory open until the consumer releases it', () => {
  const dir = createDir();
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'f'), 'x');
  const root = openRootDir(dir);
  const held: Array<Extract<WalkItem, { kind: 'entry' }>> = [];
  for (const item of walkTree(root, Buffer.from('/'), includeAll)) if (item.kind === 'entry') held.push(item);
  releaseDir(root);
  assert.equal(held.length, 1);
  const entry = held[0]!;
  // The walk has finished, yet the entry's directory still resolves the name.
  const fd = openGuestFile(entry.dir.fd, entry.name);
  assert.equal(fs.readFileSync(fd, 'utf8'), 'x');
  fs.closeSync(fd);
  const before = countOpenFds();
  releaseDir(entry.dir);
  assert.equal(countOpenFds(), before - 1);
});
