import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  createDigester, defaultAlgorithm, defaultMethodFileText, findAlgorithm, maxDigestBits, normalizeMethodName,
} from '../../src/hash/algorithms.js';

test('method names are lower-cased in ASCII and lose every dash', () => {
  assert.equal(normalizeMethodName(Buffer.from('S-H-A-1')), 'sha1');
  assert.equal(normalizeMethodName(Buffer.from('Sha-256--')), 'sha256');
  assert.equal(normalizeMethodName(Buffer.from('MD-5')), 'md5');
});

test('bytes outside ASCII letters survive normalisation one to one', () => {
  assert.equal(normalizeMethodName(Buffer.from([0xc4, 0x41, 0xff, 0x2d, 0x0d])), '\u00c4a\u00ff\r');
});

test('every spelling upstream accepts finds its algorithm and digest size', () => {
  const cases: ReadonlyArray<readonly [string, string, number]> = [
    ['md2', 'md2', 128], ['MD5', 'md5', 128], ['md-5', 'md5', 128], ['SHA-1', 'sha1', 160],
    ['Sha1', 'sha1', 160], ['s-h-a-1', 'sha1', 160], ['SHA-256', 'sha256', 256], ['sha-256', 'sha256', 256],
    ['sha384', 'sha384', 384], ['SHA-512', 'sha512', 512],
  ];
  for (const [text, name, bits] of cases) {
    assert.deepEqual(findAlgorithm(Buffer.from(text)), { name, bits }, text);
  }
});

test('names with blanks, carriage returns or unknown algorithms are not found', () => {
  for (const text of ['sha1 ', ' sha1', 'sha1\r', 'sha224', 'bogus', '', 'md4', 'sha1\n']) {
    assert.equal(findAlgorithm(Buffer.from(text)), undefined, JSON.stringify(text));
  }
});

test('only algorithms up to 256 bits fit the store naming', () => {
  assert.equal(maxDigestBits, 256);
  assert.ok(findAlgorithm(Buffer.from('sha256'))!.bits <= maxDigestBits);
  assert.ok(findAlgorithm(Buffer.from('sha384'))!.bits > maxDigestBits);
});

test('a new store defaults to SHA-256 written as "sha256\\n" like the NSS build', () => {
  assert.equal(defaultAlgorithm, 'sha256');
  assert.equal(defaultMethodFileText, 'sha256\n');
});

test('digesters of the node:crypto algorithms match createHash over split input', () => {
  const data = Buffer.from('hello world, this is a test file\n');
  for (const name of ['md5', 'sha1', 'sha256', 'sha384', 'sha512'] as const) {
    const digester = createDigester(name);
    digester.update(data.subarray(0, 5));
    digester.update(data.subarray(5));
    assert.equal(digester.digest().toString('hex'), createHash(name).update(data).digest('hex'), name);
  }
});

test('the md2 digester is the RFC 1319 MD2', () => {
  const digester = createDigester('md2');
  digester.update(Buffer.from('abc'));
  assert.equal(digester.digest().toString('hex'), 'da853b0d3f88d99b30283a69e6ded6bb');
});
