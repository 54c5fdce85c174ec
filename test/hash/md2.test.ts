import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Md2 } from '../../src/hash/md2.js';

// The test suite of RFC 1319, appendix A.5.
const rfcSuite: ReadonlyArray<readonly [string, string]> = [
  ['', '8350e5a3e24c153df2275c9f80692773'],
  ['a', '32ec01ec4a6dac72c0ab96fb34c0b5d1'],
  ['abc', 'da853b0d3f88d99b30283a69e6ded6bb'],
  ['message digest', 'ab4f496bfb2a530b219ff33031fe06b0'],
  ['abcdefghijklmnopqrstuvwxyz', '4e8ddff3650292ab5a4108c3aa47940b'],
  ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'da33def2a42df13975352846c30338cd'],
  ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', 'd5976f79d83d3a0dc9806c3c66f3efd8'],
];

function computeMd2(chunks: readonly Buffer[]): string {
  const md2 = new Md2();
  for (const chunk of chunks) md2.update(chunk);
  return md2.digest().toString('hex');
}

for (const [input, digest] of rfcSuite) {
  test(`MD2 of ${JSON.stringify(input)} is the RFC 1319 value`, () => {
    assert.equal(computeMd2([Buffer.from(input)]), digest);
  });
}

test('feeding MD2 in uneven chunks gives the same digest as one update', () => {
  const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7 + 3) & 0xff));
  const whole = computeMd2([data]);
  const pieces: Buffer[] = [];
  for (let at = 0, size = 1; at < data.length; at += size, size = (size * 3) % 37 + 1) {
    pieces.push(data.subarray(at, at + size));
  }
  assert.equal(computeMd2(pieces), whole);
  assert.notEqual(whole, computeMd2([data.subarray(1)]));
});

test('an MD2 digest can be taken only once', () => {
  const md2 = new Md2();
  md2.digest();
  assert.throws(() => md2.digest());
  assert.throws(() => md2.update(Buffer.from('x')));
});
