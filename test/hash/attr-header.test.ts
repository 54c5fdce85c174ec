import assert from 'node:assert/strict';
import type { BigIntStats } from 'node:fs';
import { test } from 'node:test';
import { attrHeaderLength, attributesFromStats, packAttrHeader, type HashedAttributes } from '../../src/hash/attr-header.js';

// Only the fields attributesFromStats reads; the rest of BigIntStats does not matter here.
function makeStats(fields: { mode: bigint; uid: bigint; gid: bigint; rdev: bigint; size: bigint; mtimeNs: bigint }): BigIntStats {
  return fields as unknown as BigIntStats;
}

const exampleA: HashedAttributes = { mode: 0o100644n, uid: 0n, gid: 0n, rdev: 0n, size: 33n, mtimeSec: 1234567890n };

test('the header of spec example A packs mode, owner, rdev, size and mtime little-endian', () => {
  const header = packAttrHeader(exampleA, false);
  assert.equal(header.length, attrHeaderLength);
  assert.equal(header.toString('hex'), 'a4810000' + '00000000' + '00000000' + '0000000000000000' + '2100000000000000' + 'd202964900000000');
});

test('the header of spec example B carries uid 1000 and gid 100', () => {
  const header = packAttrHeader({ mode: 0o100755n, uid: 1000n, gid: 100n, rdev: 0n, size: 16n, mtimeSec: 1600000000n }, false);
  assert.equal(header.toString('hex'), 'ed810000' + 'e8030000' + '64000000' + '0000000000000000' + '1000000000000000' + '00105e5f00000000');
});

test('with --ignore-mtime the mtime field is zero and nothing else changes', () => {
  const withTime = packAttrHeader(exampleA, false);
  const without = packAttrHeader(exampleA, true);
  assert.deepEqual(without.subarray(0, 28), withTime.subarray(0, 28));
  assert.deepEqual(without.subarray(28), Buffer.alloc(8));
});

test('negative mtimes and large ids are packed as signed and unsigned fields', () => {
  const header = packAttrHeader({ mode: 0o107777n, uid: 4294967294n, gid: 4294967294n, rdev: 0n, size: 5000n, mtimeSec: -2147483648n }, false);
  assert.equal(header.readUInt32LE(4), 4294967294);
  assert.equal(header.readUInt32LE(8), 4294967294);
  assert.equal(header.readBigInt64LE(28), -2147483648n);
  assert.equal(header.subarray(28).toString('hex'), '00000080ffffffff');
});

test('mtime seconds are the floor of the exact time, also before 1970', () => {
  const base = { mode: 0o100644n, uid: 0n, gid: 0n, rdev: 0n, size: 1n };
  assert.equal(attributesFromStats(makeStats({ ...base, mtimeNs: 1_500_000_000n })).mtimeSec, 1n);
  assert.equal(attributesFromStats(makeStats({ ...base, mtimeNs: 2_000_000_000n })).mtimeSec, 2n);
  assert.equal(attributesFromStats(makeStats({ ...base, mtimeNs: -1n })).mtimeSec, -1n);
  assert.equal(attributesFromStats(makeStats({ ...base, mtimeNs: -1_000_000_000n })).mtimeSec, -1n);
  assert.equal(attributesFromStats(makeStats({ ...base, mtimeNs: -1_000_000_001n })).mtimeSec, -2n);
});

test('attributes are copied from the stat fields that are hashed', () => {
  const attrs = attributesFromStats(makeStats({ mode: 0o104755n, uid: 7n, gid: 8n, rdev: 0x0801n, size: 99n, mtimeNs: 42_000_000_123n }));
  assert.deepEqual(attrs, { mode: 0o104755n, uid: 7n, gid: 8n, rdev: 0x0801n, size: 99n, mtimeSec: 42n });
});
