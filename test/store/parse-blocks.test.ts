import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBlocks } from '../../src/store/parse-blocks.js';

function parse(text: string) {
  return parseBlocks(Buffer.from(text, 'latin1'));
}

function invalid(token: string) {
  return { ok: false, message: Buffer.from(`Invalid block descriptor '${token}'`, 'latin1') };
}

const startOnly = { start: true, middle: false, end: false };

test('"all" and keyword-free content select the whole file', () => {
  assert.deepEqual(parse('all\n'), { ok: true, blocks: 'all' });
  assert.deepEqual(parse(' ,\t\n\n,,'), { ok: true, blocks: 'all' });
  assert.deepEqual(parse('ALL'), { ok: true, blocks: 'all' });
});

test('start, middle and end accumulate, case-insensitively, across all separators', () => {
  assert.deepEqual(parse('start\n'), { ok: true, blocks: startOnly });
  assert.deepEqual(parse('Start,END\tmiddle \n'), { ok: true, blocks: { start: true, middle: true, end: true } });
  assert.deepEqual(parse('end,end'), { ok: true, blocks: { start: false, middle: false, end: true } });
});

test('"all" resets what came before it but not what comes after', () => {
  assert.deepEqual(parse('start all'), { ok: true, blocks: 'all' });
  assert.deepEqual(parse('all start'), { ok: true, blocks: startOnly });
});

test('an unknown token is reported as an invalid block descriptor', () => {
  assert.deepEqual(parse('start,bogus\n'), invalid('bogus'));
  assert.deepEqual(parse('starts'), invalid('starts'));
  assert.deepEqual(parse('all\r\n'), invalid('all\r'));
});

test('parsing stops at the first invalid token', () => {
  assert.deepEqual(parse('bad1 bad2'), invalid('bad1'));
});

test('a "#" token widens only the next token to the end of its line (QUIRK Q15)', () => {
  assert.deepEqual(parse('#c\nall\n'), { ok: true, blocks: 'all' });
  assert.deepEqual(parse('# comment\nall\n'), invalid('comment'));
  assert.deepEqual(parse('#c\nstart end\n'), invalid('start end'));
  assert.deepEqual(parse('#c\nstart\nend\n'), { ok: true, blocks: { start: true, middle: false, end: true } });
});

test('an empty token right after "#" uses up the comment', () => {
  assert.deepEqual(parse('#\n\nstart end\n'), { ok: true, blocks: { start: true, middle: false, end: true } });
});

test('a token starting with "#" in comment position is again a comment marker', () => {
  assert.deepEqual(parse('#a\n#b c\nstart\n'), { ok: true, blocks: startOnly });
});

test('a NUL byte ends the content, like the C string upstream parses', () => {
  assert.deepEqual(parseBlocks(Buffer.from('start\0bogus\n', 'latin1')), { ok: true, blocks: startOnly });
});

test('the invalid token is quoted byte for byte', () => {
  const result = parseBlocks(Buffer.from([0x73, 0xff, 0x0a]));
  assert.deepEqual(result, { ok: false, message: Buffer.concat([Buffer.from("Invalid block descriptor 's"), Buffer.from([0xff]), Buffer.from("'")]) });
});
