import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBlocksize, parseCLong } from '../../src/store/parse-blocksize.js';

function parse(text: string) {
  return parseBlocksize(Buffer.from(text, 'latin1'));
}

function refused(text: string) {
  return { ok: false, message: Buffer.from(`Failed to parse blocksize '${text}'`, 'latin1') };
}

test('strtol base detection: decimal, 0x hex, leading-0 octal', () => {
  assert.deepEqual(parse('16'), { ok: true, blocksize: 16n });
  assert.deepEqual(parse('0x10'), { ok: true, blocksize: 16n });
  assert.deepEqual(parse('0X1f'), { ok: true, blocksize: 31n });
  assert.deepEqual(parse('010'), { ok: true, blocksize: 8n });
  assert.deepEqual(parse('0'), { ok: true, blocksize: 0n });
  assert.deepEqual(parse('0x10000'), { ok: true, blocksize: 65536n });
});

test('leading white space and a sign are accepted', () => {
  assert.deepEqual(parse(' \t42'), { ok: true, blocksize: 42n });
  assert.deepEqual(parse('+7'), { ok: true, blocksize: 7n });
});

test('trailing newlines and NULs are stripped, and junk after a newline is ignored', () => {
  assert.deepEqual(parse('16\n\n\0'), { ok: true, blocksize: 16n });
  assert.deepEqual(parse('16\nfoo'), { ok: true, blocksize: 16n });
});

test('junk after the number or no digits at all are refused with the text quoted', () => {
  assert.deepEqual(parse('12ab\n'), refused('12ab'));
  assert.deepEqual(parse('abc'), refused('abc'));
  assert.deepEqual(parse('\n'), refused(''));
  assert.deepEqual(parse('   '), refused('   '));
  assert.deepEqual(parse('16 '), refused('16 '));
  assert.deepEqual(parse('0x'), refused('0x'));
  assert.deepEqual(parse('08'), refused('08'));
  assert.deepEqual(parse('\nfoo'), refused('\nfoo'));
});

test('-1 fails without a message of its own (QUIRK Q17)', () => {
  assert.deepEqual(parse('-1\n'), { ok: false });
  assert.deepEqual(parse('-0x1'), { ok: false });
});

test('other negative values are accepted, as the size_t upstream stores', () => {
  assert.deepEqual(parse('-2'), { ok: true, blocksize: 2n ** 64n - 2n });
});

test('strtol clamps on overflow instead of wrapping', () => {
  assert.deepEqual(parseCLong(Buffer.from('99999999999999999999')), { value: 2n ** 63n - 1n, end: 20 });
  assert.deepEqual(parseCLong(Buffer.from('-99999999999999999999')), { value: -(2n ** 63n), end: 21 });
});

test('strtol reports where it stopped, and 0 when it found no digits', () => {
  assert.deepEqual(parseCLong(Buffer.from('  12x')), { value: 12n, end: 4 });
  assert.deepEqual(parseCLong(Buffer.from('0x')), { value: 0n, end: 1 });
  assert.deepEqual(parseCLong(Buffer.from('  -')), { value: 0n, end: 0 });
});

test('the text quoted in the message ends at an embedded NUL', () => {
  assert.deepEqual(parse('junk\0more'), refused('junk'));
  assert.deepEqual(parse('32\0junk'), { ok: true, blocksize: 32n });
});
