import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { InodeTable } from '../../src/store/inode-table.js';

function createRandomKeys(count: number): bigint[] {
  const bytes = randomBytes(count * 8);
  const keys = new Set<bigint>();
  for (let i = 0; i < count; i += 1) keys.add(bytes.readBigUInt64LE(i * 8));
  return [...keys];
}

test('an empty table has no inodes', () => {
  const table = new InodeTable();
  assert.equal(table.size, 0);
  assert.equal(table.get(0n), undefined);
  assert.equal(table.get(12345n), undefined);
  assert.equal(table.get(0xffffffffffffffffn), undefined);
});

test('record number 0 is a value like any other', () => {
  const table = new InodeTable();
  table.set(42n, 0);
  assert.equal(table.get(42n), 0);
  assert.equal(table.size, 1);
});

test('100 000 random 64-bit inode numbers are all found after the table grew from its smallest size', () => {
  const keys = createRandomKeys(100_000);
  const table = new InodeTable(1);
  keys.forEach((key, i) => table.set(key, i));
  assert.equal(table.size, keys.length);
  keys.forEach((key, i) => {
    if (table.get(key) !== i) assert.fail(`key ${key} gave ${table.get(key)}, expected ${i}`);
  });
  const stored = new Set(keys);
  for (const other of createRandomKeys(10_000)) {
    if (stored.has(other)) continue;
    if (table.get(other) !== undefined) assert.fail(`absent key ${other} was found`);
  }
});

test('setting an inode again replaces its record number and does not grow the count', () => {
  const keys = createRandomKeys(100_000);
  const table = new InodeTable();
  keys.forEach((key, i) => table.set(key, i));
  keys.forEach((key, i) => {
    if (i % 2 === 0) table.set(key, 4_000_000_000 - i);
  });
  assert.equal(table.size, keys.length);
  keys.forEach((key, i) => {
    const expected = i % 2 === 0 ? 4_000_000_000 - i : i;
    if (table.get(key) !== expected) assert.fail(`key ${key} gave ${table.get(key)}, expected ${expected}`);
  });
});

test('keys that differ only in their high or only in their low 32 bits stay apart', () => {
  const table = new InodeTable();
  const keys: bigint[] = [];
  for (let i = 0n; i < 2000n; i += 1n) {
    keys.push(i << 32n); // equal low halves
    keys.push((7n << 32n) | (i + 10_000n)); // equal high halves
  }
  keys.push(0xffffffffffffffffn, 0xffffffff00000000n, 0x00000000ffffffffn);
  keys.forEach((key, i) => table.set(key, i));
  assert.equal(table.size, new Set(keys).size);
  keys.forEach((key, i) => assert.equal(table.get(key), i, `key ${key.toString(16)}`));
});

test('dense sequential inode numbers, as most file systems hand them out, are all kept', () => {
  const table = new InodeTable(16);
  for (let ino = 1; ino <= 50_000; ino += 1) table.set(BigInt(ino), ino * 3);
  assert.equal(table.size, 50_000);
  for (let ino = 1; ino <= 50_000; ino += 1) {
    if (table.get(BigInt(ino)) !== ino * 3) assert.fail(`inode ${ino}`);
  }
  assert.equal(table.get(50_001n), undefined);
});

test('inode numbers that share their low bits still spread over the table (no quadratic probing)', () => {
  // Multiples of 2^16 and 2^24: a hash whose slot bits depend only on the key's low bits puts
  // them all into one cluster, and inserting 40 000 of them then takes minutes instead of milliseconds.
  for (const shift of [16n, 24n]) {
    const table = new InodeTable();
    const started = process.hrtime.bigint();
    for (let i = 1n; i <= 40_000n; i += 1n) table.set(i << shift, Number(i));
    for (let i = 1n; i <= 40_000n; i += 1n) if (table.get(i << shift) !== Number(i)) assert.fail(`key ${i} << ${shift}`);
    const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
    assert.ok(ms < 2_000, `${ms} ms for keys shifted by ${shift}`);
  }
});
