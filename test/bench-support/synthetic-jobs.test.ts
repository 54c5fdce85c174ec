import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeFittingCount, computeSyntheticFootprint } from '../bench/synthetic-jobs.js';
import { DEFAULT_SHAPE } from '../bench/synthetic-tree.js';

const GiB = 1024 ** 3;

describe('computeFittingCount', () => {
  it('keeps the size asked for when the disk has room', () => {
    assert.equal(computeFittingCount(1_000_000, 6 * GiB, 1_100_000, 80 * GiB, 16_000_000), 1_000_000);
  });

  it('scales down to what fits after the margin, in whole thousands', () => {
    assert.equal(computeFittingCount(1_000_000, 8 * GiB, 1_100_000, 9 * GiB, 16_000_000), 500_000);
    assert.equal(computeFittingCount(1_000_000, 1 * GiB, 1_000_000, 80 * GiB, 625_000), 450_000);
  });

  it('gives zero when not even the margin is free', () => {
    assert.equal(computeFittingCount(20_000, 1 * GiB, 21_000, 3 * GiB, 1_000_000), 0);
  });
});

describe('computeSyntheticFootprint', () => {
  it('counts whole blocks and one inode per entry and directory', () => {
    const { bytes, inodes } = computeSyntheticFootprint({ ...DEFAULT_SHAPE, files: 2000 });
    assert.equal(bytes % 4096, 0);
    assert.ok(inodes > 2000 && inodes < 4000, `inodes ${inodes}`);
    assert.ok(bytes > 2000 * 4096 && bytes < 2000 * 20_000, `bytes ${bytes}`);
  });
});
