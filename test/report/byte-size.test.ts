import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatByteSize } from '../../src/report/byte-size.js';

test('bytes below a KiB are exact; larger counts take a binary unit with one decimal', () => {
  assert.equal(formatByteSize(0n), '0 B');
  assert.equal(formatByteSize(1023n), '1023 B');
  assert.equal(formatByteSize(1024n), '1.0 KiB');
  assert.equal(formatByteSize(1536n), '1.5 KiB');
  assert.equal(formatByteSize(12_897_484n), '12.3 MiB');
  assert.equal(formatByteSize(5n * 1024n ** 4n), '5.0 TiB');
  assert.equal(formatByteSize(-2048n), '-2.0 KiB');
});
