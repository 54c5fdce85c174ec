import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concatBytes, normalizeConfigValue, normalizeDirPrefix, readCString, toBytes } from '../../src/store/byte-text.js';

test('strings become UTF-8 bytes and Buffers stay as they are', () => {
  assert.deepEqual(toBytes('ä'), Buffer.from([0xc3, 0xa4]));
  const raw = Buffer.from([0xff]);
  assert.equal(toBytes(raw), raw);
  assert.deepEqual(concatBytes('a', raw, 'b'), Buffer.from([0x61, 0xff, 0x62]));
});

test('a C string ends at the first NUL', () => {
  assert.deepEqual(readCString(Buffer.from('ab\0cd')), Buffer.from('ab'));
  assert.deepEqual(readCString(Buffer.from('abc')), Buffer.from('abc'));
});

test('config values lose trailing newlines and NULs only', () => {
  assert.deepEqual(normalizeConfigValue(Buffer.from('SHA-1\n\n\0\0')), Buffer.from('SHA-1'));
  assert.deepEqual(normalizeConfigValue(Buffer.from('sha1 \r\n')), Buffer.from('sha1 \r'));
  assert.deepEqual(normalizeConfigValue(Buffer.from('\n\0')), Buffer.alloc(0));
});

test('directory prefixes lose all trailing slashes', () => {
  assert.deepEqual(normalizeDirPrefix(Buffer.from('/a/hash//')), Buffer.from('/a/hash'));
  assert.deepEqual(normalizeDirPrefix(Buffer.from('/')), Buffer.alloc(0));
  assert.deepEqual(normalizeDirPrefix(Buffer.from('hash')), Buffer.from('hash'));
});
