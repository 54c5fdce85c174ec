import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDigester, type AlgorithmName } from '../../src/hash/algorithms.js';
import { packAttrHeader } from '../../src/hash/attr-header.js';
import {
  formatCounterSuffix, formatCounterUnpadded, formatDigestPath, formatDirOfEntry, formatEntryPath,
} from '../../src/store/entry-path.js';

function computeDigest(algorithm: AlgorithmName, header: Buffer, content: Buffer): Buffer {
  const digester = createDigester(algorithm);
  digester.update(header);
  digester.update(content);
  return digester.digest();
}

// Spec 6.5, example A: 33 bytes, 0100644, 0:0, mtime 1234567890.
const contentA = Buffer.from('hello world, this is a test file\n');
const attrsA = { mode: 0o100644n, uid: 0n, gid: 0n, rdev: 0n, size: 33n, mtimeSec: 1234567890n };
// Spec 6.5, example B: 16 bytes, 0100755, 1000:100, mtime 1600000000.
const contentB = Buffer.from('0123456789abcdef');
const attrsB = { mode: 0o100755n, uid: 1000n, gid: 100n, rdev: 0n, size: 16n, mtimeSec: 1600000000n };

test('spec example A gets the verified names for SHA-1, MD5 and SHA-256', () => {
  const header = packAttrHeader(attrsA, false);
  const expected: ReadonlyArray<readonly [AlgorithmName, string]> = [
    ['sha1', '23/50/ccae24b2483ea60228400a66c16950b6958f-00000000'],
    ['md5', '08/d3/6cd61d55e82c4efdbfc930e39715-00000000'],
    ['sha256', '97/05/3201e7f9878957634af3b6f84ce51a113d71c89c786c4cc9cea52f4af22b-00000000'],
  ];
  for (const [algorithm, name] of expected) {
    assert.equal(formatDigestPath(computeDigest(algorithm, header, contentA)) + formatCounterSuffix(0), name, algorithm);
  }
});

test('spec example A with --ignore-mtime gets its own verified SHA-1 name', () => {
  const digest = computeDigest('sha1', packAttrHeader(attrsA, true), contentA);
  assert.equal(digest.toString('hex'), '531bf5dfd429b55d35ca859f85410844ba3429f1');
  assert.equal(formatDigestPath(digest), '53/1b/f5dfd429b55d35ca859f85410844ba3429f1');
});

test('spec example B gets the verified names for SHA-1, MD5 and SHA-256', () => {
  const header = packAttrHeader(attrsB, false);
  const expected: ReadonlyArray<readonly [AlgorithmName, string]> = [
    ['sha1', '3d/97/c0f0ac7c05e7ea919f9a7f6fedb861d40363-00000000'],
    ['md5', '9f/c3/644257c0b9e5c3e4df7cddfc1177-00000000'],
    ['sha256', 'c6/6d/3e286a17a3e0061ebef4e5157bd00ac2801d7703cb5f383dba461bf1e0a3-00000000'],
  ];
  for (const [algorithm, name] of expected) {
    assert.equal(formatDigestPath(computeDigest(algorithm, header, contentB)) + formatCounterSuffix(0), name, algorithm);
  }
});

test('digest paths have the lengths of spec 6.2 for 16, 20 and 32 byte digests', () => {
  assert.equal(formatDigestPath(Buffer.alloc(16, 0xab)).length, 34);
  assert.equal(formatDigestPath(Buffer.alloc(20, 0xab)).length, 42);
  assert.equal(formatDigestPath(Buffer.alloc(32, 0xab)).length, 66);
  assert.equal(formatDigestPath(Buffer.from('00ff10a0', 'hex')), '00/ff/10a0');
});

test('the counter suffix is eight lower-case zero-padded hex digits', () => {
  assert.equal(formatCounterSuffix(0), '-00000000');
  assert.equal(formatCounterSuffix(9), '-00000009');
  assert.equal(formatCounterSuffix(10), '-0000000a');
  assert.equal(formatCounterSuffix(0xffffffff), '-ffffffff');
  assert.throws(() => formatCounterSuffix(-1), RangeError);
  assert.throws(() => formatCounterSuffix(2 ** 32), RangeError);
  assert.throws(() => formatCounterSuffix(1.5), RangeError);
});

test('messages print the counter unpadded (QUIRK Q24)', () => {
  assert.equal(formatCounterUnpadded(0), '0');
  assert.equal(formatCounterUnpadded(26), '1a');
});

test('entry paths append name and counter to the root string as it is', () => {
  const digest = Buffer.from('2350ccae24b2483ea60228400a66c16950b6958f', 'hex');
  assert.equal(formatEntryPath('/etc/vservers/.defaults/apps/vunify/hash/root/', digest, 0),
    '/etc/vservers/.defaults/apps/vunify/hash/root/23/50/ccae24b2483ea60228400a66c16950b6958f-00000000');
  assert.equal(formatEntryPath('hash//root/', digest, 3), 'hash//root/23/50/ccae24b2483ea60228400a66c16950b6958f-00000003');
});

test('the mkdir message path is the entry path without its counter', () => {
  // From trees.json t09 (relative --destination): mkdir("hash/root/e2/e0/f3d5558a070627edff407ebd9c9c").
  const digest = Buffer.from('e2e0f3d5558a070627edff407ebd9c9c', 'hex');
  assert.equal(formatDirOfEntry('hash/root/', digest), 'hash/root/e2/e0/f3d5558a070627edff407ebd9c9c');
});

test('roots given as bytes keep non-UTF-8 bytes in the result', () => {
  const root = Buffer.from([0x2f, 0x68, 0xff, 0x2f]);
  const digest = Buffer.from('e2e0f3d5558a070627edff407ebd9c9c', 'hex');
  const path = formatEntryPath(root, digest, 1);
  assert.ok(Buffer.isBuffer(path));
  assert.deepEqual(path, Buffer.concat([root, Buffer.from('e2/e0/f3d5558a070627edff407ebd9c9c-00000001')]));
  assert.deepEqual(formatDirOfEntry(root, digest), Buffer.concat([root, Buffer.from('e2/e0/f3d5558a070627edff407ebd9c9c')]));
});
