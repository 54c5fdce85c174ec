import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCount, formatDuration } from '../../src/report/format-figures.js';

describe('formatDuration', () => {
  it('prints seconds, then minutes and seconds, then hours and minutes', () => {
    assert.equal(formatDuration(420_000_000n), '0.42 s');
    assert.equal(formatDuration(12_340_000_000n), '12.3 s');
    assert.equal(formatDuration(185_000_000_000n), '3 min 05 s');
    assert.equal(formatDuration(7_620_000_000_000n), '2 h 07 min');
  });
});

describe('formatCount', () => {
  it('uses the singular for one only', () => {
    assert.equal(formatCount(1, 'error'), '1 error');
    assert.equal(formatCount(0, 'error'), '0 errors');
    assert.equal(formatCount(3, 'guest'), '3 guests');
  });
});
