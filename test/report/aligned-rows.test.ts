import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeLabelWidth, formatAlignedRows } from '../../src/report/aligned-rows.js';

test('values line up after the longest label, and path bytes are printed as they are', () => {
  const text = formatAlignedRows('guest g1', [['eligible files', '12'], ['directory', Buffer.from([0x2f, 0xff])]]);
  assert.deepEqual(text, Buffer.concat([Buffer.from('guest g1\n  eligible files  12\n  directory       /'), Buffer.from([0xff]), Buffer.from('\n')]));
});

test('several blocks share one width when given it', () => {
  const width = computeLabelWidth([[['a', '1']], [['longer label', '2']]]);
  assert.equal(width, 12);
  assert.equal(formatAlignedRows('x', [['a', '1']], width).toString(), 'x\n  a             1\n');
});
