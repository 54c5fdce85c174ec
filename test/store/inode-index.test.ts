import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  appendFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync,
  type BigIntStats,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { InodeIndex, type IndexRecord } from '../../src/store/inode-index.js';
import { createTmpfsDir, removeTmpfsDir } from './tmpfs-fixture.js';

let base = '';
let counter = 0;
before(() => {
  process.umask(0o022);
  base = createTmpfsDir('inode-index');
});
after(() => {
  if (base !== '') removeTmpfsDir(base);
});

const RECORD_SIZE = 104;

// A storage root directory and a cache dir path (not yet created) for one test.
function createCase(): { rootStat: BigIntStats; cacheDir: string; dir: string } {
  const dir = join(base, `c${counter++}`);
  mkdirSync(join(dir, 'root'), { recursive: true });
  return { rootStat: statSync(join(dir, 'root'), { bigint: true }), cacheDir: join(dir, 'cache'), dir };
}

function createRecord(ino: bigint, overrides: Partial<IndexRecord> = {}): IndexRecord {
  return {
    ino,
    btimeNs: 1_700_000_000_123_456_789n + (ino % 1000n),
    ctimeNs: 1_750_000_000_987_654_321n + (ino % 997n),
    mode: 0o100644n,
    uid: 1000n,
    gid: 4294967294n,
    size: 123_456_789_012n,
    mtimeSec: -86_400n,
    algorithm: 'sha256',
    ignoreMtime: false,
    counter: 0x12345678,
    digest: createHash('sha256').update(String(ino)).digest(),
    ...overrides,
  };
}

// What lookup() reads of a guest file's lstat: inode and birth time.
function statFor(record: IndexRecord, btimeNs = record.btimeNs): BigIntStats {
  return { ino: record.ino, birthtimeNs: btimeNs } as BigIntStats;
}

async function openIndex(c: { cacheDir: string; rootStat: BigIntStats }, writable: boolean): Promise<InodeIndex> {
  const index = await InodeIndex.open(c.cacheDir, c.rootStat, writable);
  assert.ok(index !== undefined, 'the index opens');
  return index;
}

function indexFile(c: { cacheDir: string; rootStat: BigIntStats }): string {
  const files = readdirSync(c.cacheDir);
  assert.equal(files.length, 1);
  return join(c.cacheDir, files[0]!);
}

test('a writable open creates a 0700 cache dir and a 0600 index file named after the root', async () => {
  const c = createCase();
  const index = await openIndex(c, true);
  index.close();
  assert.equal(lstatSync(c.cacheDir).mode, 0o40700);
  const name = `${c.rootStat.dev}-${c.rootStat.ino}-${c.rootStat.birthtimeNs}.idx2`;
  assert.deepEqual(readdirSync(c.cacheDir), [name]);
  assert.equal(lstatSync(join(c.cacheDir, name)).mode, 0o100600);
  assert.equal(lstatSync(join(c.cacheDir, name)).size, 0);
});

test('remembered records are found after the index is reopened, every field intact', async () => {
  const c = createCase();
  const records = [createRecord(5n), createRecord(0xfedcba9876543210n, { algorithm: 'md5', ignoreMtime: true }), createRecord(77n, { algorithm: 'md2', counter: 0 })];
  records[1]!.digest = createHash('md5').update('x').digest();
  records[2]!.digest = Buffer.alloc(16, 0xab);
  const writer = await openIndex(c, true);
  for (const record of records) writer.remember(record);
  // Also found in the same session.
  assert.deepEqual(writer.lookup(statFor(records[0]!)), records[0]);
  writer.close();
  assert.equal(statSync(indexFile(c)).size, 3 * RECORD_SIZE);
  const reader = await openIndex(c, false);
  try {
    for (const record of records) assert.deepEqual(reader.lookup(statFor(record)), record);
    assert.equal(reader.lookup({ ino: 6n, birthtimeNs: 0n } as BigIntStats), undefined);
  } finally {
    reader.close();
  }
});

test('the newest record for an inode wins', async () => {
  const c = createCase();
  const writer = await openIndex(c, true);
  writer.remember(createRecord(9n, { counter: 1 }));
  writer.remember(createRecord(10n));
  writer.remember(createRecord(9n, { counter: 2 }));
  assert.equal(writer.lookup(statFor(createRecord(9n)))?.counter, 2);
  writer.close();
  const reader = await openIndex(c, true);
  assert.equal(reader.lookup(statFor(createRecord(9n)))?.counter, 2);
  reader.remember(createRecord(9n, { counter: 3 }));
  reader.close();
  const again = await openIndex(c, false);
  assert.equal(again.lookup(statFor(createRecord(9n)))?.counter, 3);
  again.close();
});

test('a birth time that differs means another inode under a reused number: a miss', async () => {
  const c = createCase();
  const record = createRecord(11n);
  const writer = await openIndex(c, true);
  writer.remember(record);
  assert.equal(writer.lookup(statFor(record, record.btimeNs + 1n)), undefined);
  assert.equal(writer.lookup(statFor(record, 0n)), undefined);
  assert.deepEqual(writer.lookup(statFor(record)), record);
  writer.close();
});

test('a damaged record is ignored and the records around it still count', async () => {
  const c = createCase();
  const writer = await openIndex(c, true);
  for (const ino of [1n, 2n, 3n]) writer.remember(createRecord(ino));
  writer.close();
  const file = indexFile(c);
  const bytes = readFileSync(file);
  bytes[RECORD_SIZE + 40] ^= 0x01; // one bit of record 2's mtime
  writeFileSync(file, bytes);
  const reader = await openIndex(c, false);
  try {
    assert.deepEqual(reader.lookup(statFor(createRecord(1n))), createRecord(1n));
    assert.equal(reader.lookup(statFor(createRecord(2n))), undefined);
    assert.deepEqual(reader.lookup(statFor(createRecord(3n))), createRecord(3n));
  } finally {
    reader.close();
  }
});

test('a record damaged after opening is not trusted on lookup', async () => {
  const c = createCase();
  const writer = await openIndex(c, true);
  writer.remember(createRecord(1n));
  writer.remember(createRecord(2n));
  writer.flush(); // appends are batched: put both records in the file
  const file = indexFile(c);
  const bytes = readFileSync(file);
  assert.equal(bytes.length, 2 * RECORD_SIZE);
  bytes[RECORD_SIZE + 60] ^= 0xff; // record 2's digest
  writeFileSync(file, bytes);
  assert.equal(writer.lookup(statFor(createRecord(2n))), undefined);
  assert.deepEqual(writer.lookup(statFor(createRecord(1n))), createRecord(1n));
  writer.close();
});

test('a truncated last record is ignored, and records remembered after it are found again', async () => {
  const c = createCase();
  const writer = await openIndex(c, true);
  for (const ino of [1n, 2n, 3n]) writer.remember(createRecord(ino));
  writer.close();
  const file = indexFile(c);
  truncateSync(file, 2 * RECORD_SIZE + 50); // a torn write of record 3
  const reader = await openIndex(c, true);
  assert.deepEqual(reader.lookup(statFor(createRecord(1n))), createRecord(1n));
  assert.deepEqual(reader.lookup(statFor(createRecord(2n))), createRecord(2n));
  assert.equal(reader.lookup(statFor(createRecord(3n))), undefined);
  reader.remember(createRecord(4n));
  assert.deepEqual(reader.lookup(statFor(createRecord(4n))), createRecord(4n), 'found in the same session');
  reader.close();
  const again = await openIndex(c, false);
  try {
    assert.deepEqual(again.lookup(statFor(createRecord(4n))), createRecord(4n), 'found after reopening');
    assert.deepEqual(again.lookup(statFor(createRecord(2n))), createRecord(2n));
  } finally {
    again.close();
  }
});

test('garbage appended by something else is never taken for a record', async () => {
  const c = createCase();
  const writer = await openIndex(c, true);
  writer.remember(createRecord(1n));
  writer.close();
  appendFileSync(indexFile(c), Buffer.alloc(RECORD_SIZE, 0x41));
  const reader = await openIndex(c, false);
  try {
    assert.deepEqual(reader.lookup(statFor(createRecord(1n))), createRecord(1n));
    assert.equal(reader.lookup({ ino: 0x4141414141414141n, birthtimeNs: 0x4141414141414141n } as BigIntStats), undefined);
  } finally {
    reader.close();
  }
});

test('a read-only open never creates the cache dir or the index file', async () => {
  const c = createCase();
  assert.equal(await InodeIndex.open(c.cacheDir, c.rootStat, false), undefined);
  assert.ok(!existsSync(c.cacheDir));
  mkdirSync(c.cacheDir);
  assert.equal(await InodeIndex.open(c.cacheDir, c.rootStat, false), undefined);
  assert.deepEqual(readdirSync(c.cacheDir), []);
});

test('a read-only index ignores remember()', async () => {
  const c = createCase();
  const writer = await openIndex(c, true);
  writer.remember(createRecord(1n));
  writer.close();
  const reader = await openIndex(c, false);
  reader.remember(createRecord(2n));
  assert.equal(reader.lookup(statFor(createRecord(2n))), undefined);
  reader.close();
  assert.equal(statSync(indexFile(c)).size, RECORD_SIZE);
});

test('another storage root has an index of its own', async () => {
  const c = createCase();
  const writer = await openIndex(c, true);
  writer.remember(createRecord(1n));
  writer.close();
  mkdirSync(join(c.dir, 'root2'));
  const other = await openIndex({ cacheDir: c.cacheDir, rootStat: statSync(join(c.dir, 'root2'), { bigint: true }) }, true);
  try {
    assert.equal(other.lookup(statFor(createRecord(1n))), undefined);
  } finally {
    other.close();
  }
  assert.equal(readdirSync(c.cacheDir).length, 2);
});

test('an unusable cache dir means no index, not a failure', async () => {
  const c = createCase();
  writeFileSync(join(c.dir, 'not-a-dir'), 'x');
  assert.equal(await InodeIndex.open(join(c.dir, 'not-a-dir', 'cache'), c.rootStat, true), undefined);
});

test('appends are batched: records are found before they reach the file, and all of them are there after close', async () => {
  const c = createCase();
  const writer = await openIndex(c, true);
  for (let ino = 1n; ino <= 150n; ino += 1n) writer.remember(createRecord(ino));
  // 64 records go out per write; the rest wait in memory until close.
  assert.equal(readFileSync(indexFile(c)).length, 128 * RECORD_SIZE);
  assert.deepEqual(writer.lookup(statFor(createRecord(150n))), createRecord(150n), 'a pending record');
  assert.deepEqual(writer.lookup(statFor(createRecord(3n))), createRecord(3n), 'a written record');
  writer.close();
  assert.equal(readFileSync(indexFile(c)).length, 150 * RECORD_SIZE);
  const reader = await openIndex(c, false);
  try {
    for (const ino of [1n, 64n, 65n, 128n, 129n, 150n]) assert.deepEqual(reader.lookup(statFor(createRecord(ino))), createRecord(ino));
  } finally {
    reader.close();
  }
});

test('a cache file system that fills up stops the remembering, not the run: what was written is still found', async () => {
  const c = createCase();
  const small = createTmpfsDir('inode-index-full', '16k');
  try {
    const writer = await InodeIndex.open(join(small, 'cache'), c.rootStat, true);
    assert.ok(writer !== undefined);
    for (let ino = 1n; ino <= 2000n; ino += 1n) writer.remember(createRecord(ino)); // ~190 KB: far more than fits
    writer.close();
    const size = readFileSync(join(small, 'cache', readdirSync(join(small, 'cache'))[0]!)).length;
    assert.ok(size > 0 && size < 2000 * RECORD_SIZE, `partly written: ${size} bytes`);
    const reader = await InodeIndex.open(join(small, 'cache'), c.rootStat, false);
    assert.ok(reader !== undefined);
    try {
      assert.deepEqual(reader.lookup(statFor(createRecord(1n))), createRecord(1n));
      assert.equal(reader.lookup(statFor(createRecord(2000n))), undefined);
    } finally {
      reader.close();
    }
  } finally {
    removeTmpfsDir(small);
  }
});

test('a version 1 index of the same root (records without ctime) is removed by a writable open, kept by a read-only one', async () => {
  const c = createCase();
  mkdirSync(c.cacheDir);
  const old = join(c.cacheDir, `${c.rootStat.dev}-${c.rootStat.ino}-${c.rootStat.birthtimeNs}.idx`);
  appendFileSync(old, Buffer.alloc(96, 0x56));
  assert.equal(await InodeIndex.open(c.cacheDir, c.rootStat, false), undefined, 'no version 2 file to read');
  assert.ok(existsSync(old));
  (await openIndex(c, true)).close();
  assert.equal(existsSync(old), false);
  assert.equal(readdirSync(c.cacheDir).length, 1);
});
