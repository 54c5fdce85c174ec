import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBytes, formatCount, formatDuration } from '../../src/report/format-figures.js';

describe('formatBytes', () => {
  it('prints bytes below 1 KiB as they are and larger amounts in binary units with one decimal', () => {
    assert.equal(formatBytes(0n), '0 B');
    assert.equal(formatBytes(1023n), '1023 B');
    assert.equal(formatBytes(1024n), '1.0 KiB');
    assert.equal(formatBytes(1536n), '1.5 KiB');
    assert.equal(formatBytes(5n * 1024n ** 3n), '5.0 GiB');
    assert.equal(formatBytes(3n * 1024n ** 6n), '3.0 EiB');
  });

  it('keeps the sign of a negative amount', () => {
    assert.equal(formatBytes(-4096n), '-4.0 KiB');
    assert.equal(formatBytes(-12n), '-12 B');
  });
});

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
