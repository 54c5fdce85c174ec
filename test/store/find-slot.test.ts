import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync, chownSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, symlinkSync, utimesSync,
  writeFileSync, type BigIntStats,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { formatDigestPath } from '../../src/store/entry-path.js';
import { findSlot } from '../../src/store/find-slot.js';
import type { OpenRoot } from '../../src/store/entry-name.js';
import { AT_FDCWD, O_DIRECTORY, O_RDONLY } from '../../src/sys/constants.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { createTmpfsDir, removeTmpfsDir } from './tmpfs-fixture.js';

let base = '';
let counter = 0;
const immutableDirs: string[] = [];
const openRoots: number[] = [];
before(() => {
  process.umask(0o022);
  base = createTmpfsDir('find-slot');
});
after(() => {
  for (const fd of openRoots) closeFd(fd);
  for (const dir of immutableDirs) spawnSync('chattr', ['-i', dir]);
  if (base !== '') removeTmpfsDir(base);
});

const DIGEST = createHash('sha256').update('find-slot test digest').digest();
const REAL = { dryRun: false, ignoreMtime: false };
const DRY = { dryRun: true, ignoreMtime: false };

// A fresh storage root (path ending in `/`) and a guest file of 32 bytes, owner 1000:1000, 0644, mtime 1e9.
interface Case {
  root: string;
  open: OpenRoot;
  file: BigIntStats;
  filePath: string;
  slot: (n: number) => string;
  /** The fields findSlot reports for counter `n`: name relative to the root, printed path, counter. */
  at: (n: number) => { name: Buffer; path: string; counter: number };
}

function createCase(): Case {
  const dir = join(base, `c${counter++}`);
  mkdirSync(join(dir, 'root'), { recursive: true });
  const filePath = join(dir, 'guest-file');
  createFile(filePath, {});
  const root = `${dir}/root/`;
  const slot = (n: number): string => `${root}${formatDigestPath(DIGEST)}-${n.toString(16).padStart(8, '0')}`;
  const open = { fd: openAt(AT_FDCWD, Buffer.from(root), O_RDONLY | O_DIRECTORY), path: root };
  openRoots.push(open.fd);
  const at = (n: number) => ({ name: Buffer.from(slot(n).slice(root.length)), path: slot(n), counter: n });
  return { root, open, file: lstatSync(filePath, { bigint: true }), filePath, slot, at };
}

interface Meta { uid?: number; gid?: number; mode?: number; mtime?: number; content?: string }

function createFile(path: string, meta: Meta): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, meta.content ?? 'x'.repeat(32));
  chownSync(path, meta.uid ?? 1000, meta.gid ?? 1000);
  chmodSync(path, meta.mode ?? 0o644);
  utimesSync(path, meta.mtime ?? 1e9, meta.mtime ?? 1e9);
}

function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true }) as string[];
}

test('a free slot in a real run gets 0700 directories and an empty 0200 placeholder', () => {
  const c = createCase();
  const outcome = findSlot(c.open, DIGEST, c.file, REAL);
  assert.deepEqual(outcome, { kind: 'new', ...c.at(0) });
  const hex = DIGEST.toString('hex');
  for (const dir of [`${c.root}${hex.slice(0, 2)}`, `${c.root}${hex.slice(0, 2)}/${hex.slice(2, 4)}`]) {
    assert.equal(lstatSync(dir).mode, 0o40700, dir);
  }
  const placeholder = lstatSync(c.slot(0));
  assert.equal(placeholder.mode, 0o100200);
  assert.equal(placeholder.size, 0);
  assert.equal(placeholder.uid, 0);
});

test('a dry run reports the free slot as new and creates nothing', () => {
  const c = createCase();
  assert.deepEqual(findSlot(c.open, DIGEST, c.file, DRY), { kind: 'new', ...c.at(0) });
  assert.deepEqual(listTree(c.root), []);
});

test('the slot that is the file itself means already unified', () => {
  const c = createCase();
  mkdirSync(dirname(c.slot(0)), { recursive: true });
  linkSync(c.filePath, c.slot(0));
  const file = lstatSync(c.filePath, { bigint: true });
  assert.deepEqual(findSlot(c.open, DIGEST, file, REAL), { kind: 'unified', ...c.at(0) });
  assert.deepEqual(findSlot(c.open, DIGEST, file, DRY), { kind: 'unified', ...c.at(0) });
});

test('an entry with the same mode, owner, size and mtime is an existing entry to link to', () => {
  const c = createCase();
  createFile(c.slot(0), {});
  const outcome = findSlot(c.open, DIGEST, c.file, REAL);
  assert.equal(outcome.kind, 'existing');
  assert.ok(outcome.kind === 'existing');
  assert.equal(outcome.path, c.slot(0));
  assert.equal(outcome.counter, 0);
  assert.equal(outcome.stat.ino, lstatSync(c.slot(0), { bigint: true }).ino);
  assert.deepEqual(readdirSync(dirname(c.slot(0))).length, 1, 'nothing else was created');
});

test('entries that are not unifyable push the counter on, in order, until a free slot', () => {
  const c = createCase();
  createFile(c.slot(0), { mode: 0o600 });
  createFile(c.slot(1), { uid: 1001 });
  createFile(c.slot(2), { gid: 1001 });
  createFile(c.slot(3), { mtime: 1e9 + 1 });
  createFile(c.slot(4), { content: 'y'.repeat(33) });
  mkdirSync(c.slot(5));
  symlinkSync(c.filePath, c.slot(6));
  writeFileSync(c.slot(7), ''); // an empty placeholder left by an interrupted run (QUIRK Q25)
  chmodSync(c.slot(7), 0o200);
  const outcome = findSlot(c.open, DIGEST, c.file, REAL);
  assert.deepEqual(outcome, { kind: 'new', ...c.at(8) });
  assert.equal(lstatSync(c.slot(8)).size, 0);
  // The unifyable slot after the non-unifyable ones is found in the next lookup, not a new one.
  const other = createCase();
  createFile(other.slot(0), { mode: 0o600 });
  createFile(other.slot(1), {});
  const found = findSlot(other.open, DIGEST, other.file, REAL);
  assert.equal(found.kind, 'existing');
  assert.equal(found.kind === 'existing' && found.counter, 1);
});

test('counters past nine are written in lower-case hex with eight digits', () => {
  const c = createCase();
  for (let n = 0; n < 11; n += 1) createFile(c.slot(n), { mode: 0o600 });
  const outcome = findSlot(c.open, DIGEST, c.file, DRY);
  assert.deepEqual(outcome, { kind: 'new', ...c.at(11) });
  assert.ok(outcome.kind === 'new' && outcome.path.endsWith('-0000000b'));
});

test('with --ignore-mtime an entry that differs only in mtime is existing', () => {
  const c = createCase();
  createFile(c.slot(0), { mtime: 12345 });
  assert.equal(findSlot(c.open, DIGEST, c.file, REAL).kind, 'new', 'without the option the mtime counts');
  const d = createCase();
  createFile(d.slot(0), { mtime: 12345 });
  const outcome = findSlot(d.open, DIGEST, d.file, { dryRun: false, ignoreMtime: true });
  assert.equal(outcome.kind, 'existing');
  assert.equal(outcome.kind === 'existing' && outcome.counter, 0);
});

test('mtimes are compared in whole seconds, rounded down also before 1970', () => {
  const c = createCase();
  utimesSync(c.filePath, new Date(-1500), new Date(-1500)); // -1.5 s: st_mtime is -2
  const file = lstatSync(c.filePath, { bigint: true });
  assert.equal(file.mtimeNs, -1_500_000_000n);
  createFile(c.slot(0), {});
  utimesSync(c.slot(0), new Date(-1200), new Date(-1200)); // -1.2 s: also -2
  createFile(c.slot(1), {});
  utimesSync(c.slot(1), new Date(-500), new Date(-500)); // -0.5 s: -1
  const outcome = findSlot(c.open, DIGEST, file, REAL);
  assert.equal(outcome.kind, 'existing');
  assert.equal(outcome.kind === 'existing' && outcome.counter, 0);
  const d = createCase();
  utimesSync(d.filePath, new Date(-1500), new Date(-1500));
  createFile(d.slot(0), {});
  utimesSync(d.slot(0), new Date(-500), new Date(-500));
  assert.deepEqual(findSlot(d.open, DIGEST, lstatSync(d.filePath, { bigint: true }), REAL), { kind: 'new', ...d.at(1) });
});

test('a dry run that cannot lstat a slot fails with the counter in the message (QUIRK Q24)', () => {
  const c = createCase();
  const hex = DIGEST.toString('hex');
  writeFileSync(`${c.root}${hex.slice(0, 2)}`, 'a file where a directory belongs');
  assert.deepEqual(findSlot(c.open, DIGEST, c.file, DRY), { kind: 'failed', message: "lstat('0'): Not a directory\n" });
});

test('a real run that cannot create the directories names the entry path without its counter', () => {
  const c = createCase();
  const hex = DIGEST.toString('hex');
  writeFileSync(`${c.root}${hex.slice(0, 2)}`, 'a file where a directory belongs');
  assert.deepEqual(findSlot(c.open, DIGEST, c.file, REAL), {
    kind: 'failed',
    message: `mkdir("${c.root}${formatDigestPath(DIGEST)}"): Not a directory\n`,
  });
});

test('a placeholder that cannot be created names the unpadded counter (QUIRK Q24)', () => {
  const c = createCase();
  for (let n = 0; n < 11; n += 1) createFile(c.slot(n), { mode: 0o600 });
  const dir = dirname(c.slot(0));
  assert.equal(spawnSync('chattr', ['+i', dir]).status, 0, 'chattr +i on a tmpfs directory');
  immutableDirs.push(dir);
  try {
    assert.deepEqual(findSlot(c.open, DIGEST, c.file, REAL), { kind: 'failed', message: 'open("b"): Operation not permitted\n' });
    assert.ok(!existsSync(c.slot(11)));
  } finally {
    spawnSync('chattr', ['-i', dir]);
  }
});

test('an empty 0200 placeholder older than the run is a crash leftover: reclaimed with its copy temporary', () => {
  const c = createCase();
  createFile(c.slot(0), { content: '', uid: 0, gid: 0, mode: 0o200, mtime: 1e9 });
  const temp = `${c.slot(0)};AbC123`;
  createFile(temp, { content: 'x'.repeat(20), uid: 0, gid: 0, mode: 0o200, mtime: 1e9 });
  const outcome = findSlot(c.open, DIGEST, c.file, { ...REAL, reclaimBeforeNs: BigInt(Date.now()) * 1_000_000n });
  assert.deepEqual(outcome, { kind: 'new', ...c.at(0) });
  assert.equal(existsSync(temp), false);
  const placeholder = lstatSync(c.slot(0), { bigint: true });
  assert.ok(placeholder.mtimeNs > 1_000_000_000n * 1_000_000_000n, 'the slot holds a fresh placeholder of this run');
});

test('without the store lock (no reclaim time), or for a placeholder of this run, the slot stays taken (QUIRK Q25)', () => {
  const c = createCase();
  createFile(c.slot(0), { content: '', uid: 0, gid: 0, mode: 0o200, mtime: 1e9 });
  assert.deepEqual(findSlot(c.open, DIGEST, c.file, REAL), { kind: 'new', ...c.at(1) });
  const d = createCase();
  createFile(d.slot(0), { content: '', uid: 0, gid: 0, mode: 0o200, mtime: 2e9 });
  assert.deepEqual(findSlot(d.open, DIGEST, d.file, { ...REAL, reclaimBeforeNs: 1_500_000_000n * 1_000_000_000n }), { kind: 'new', ...d.at(1) });
  const e = createCase();
  createFile(e.slot(0), { content: '', uid: 0, gid: 0, mode: 0o200, mtime: 1e9 });
  assert.deepEqual(findSlot(e.open, DIGEST, e.file, { ...DRY, reclaimBeforeNs: BigInt(Date.now()) * 1_000_000n }), { kind: 'new', ...e.at(1) });
});
