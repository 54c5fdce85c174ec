import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createContent, MAX_SYNTHETIC_SIZE } from '../bench/synthetic-content.js';

describe('createContent', () => {
  it('returns identical bytes for the same seed and size', () => {
    assert.ok(createContent(7, 5000).equals(createContent(7, 5000)));
    assert.equal(createContent(7, 5000).length, 5000);
  });

  it('makes different seeds differ within the first 16 bytes', () => {
    assert.notDeepEqual(createContent(7, 5000).subarray(0, 16), createContent(8, 5000).subarray(0, 16));
  });

  it('makes the same seed at another size a different file, not a prefix', () => {
    assert.ok(!createContent(7, 5000).subarray(0, 4000).equals(createContent(7, 4000)));
  });

  it('handles empty, tiny and the largest files and refuses bigger ones', () => {
    assert.equal(createContent(1, 0).length, 0);
    assert.equal(createContent(1, 15).length, 15);
    assert.equal(createContent(0xffffffff, MAX_SYNTHETIC_SIZE).length, MAX_SYNTHETIC_SIZE);
    assert.throws(() => createContent(1, MAX_SYNTHETIC_SIZE + 1), RangeError);
  });
});
