import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatJsonBytes, formatJsonDocument } from '../../src/report/json-text.js';

test('a UTF-8 name is a string; any other bytes are given exactly as hex', () => {
  assert.equal(formatJsonBytes(Buffer.from('/etc/ärger')), '/etc/ärger');
  assert.deepEqual(formatJsonBytes(Buffer.from([0x2f, 0xff, 0x41])), { hex: '2fff41' });
  assert.equal(formatJsonBytes('/already/text'), '/already/text');
});

test('a document is indented JSON with bigints as numbers and a final newline', () => {
  const text = formatJsonDocument({ bytes: 12n, name: 'x' });
  assert.equal(text, '{\n  "bytes": 12,\n  "name": "x"\n}\n');
  assert.deepEqual(JSON.parse(text), { bytes: 12, name: 'x' });
});
