import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFileCount, parseBenchOptions, parseFileCount } from '../bench/bench-options.js';

describe('parseBenchOptions', () => {
  it('runs every job three times at 20k, 200k and 1M files by default', () => {
    assert.deepEqual(parseBenchOptions([]), { jobs: ['J1', 'J2', 'J3', 'J4'], runs: 3, sizes: [20_000, 200_000, 1_000_000], out: undefined, upstream: undefined, help: false });
  });

  it('selects jobs, runs, sizes and the results file', () => {
    assert.deepEqual(parseBenchOptions(['--jobs', 'j2,J1', '--runs=5', '--sizes', '20k,200k', '--out', '/tmp/r.json']), {
      jobs: ['J1', 'J2'], runs: 5, sizes: [20_000, 200_000], out: '/tmp/r.json', upstream: undefined, help: false,
    });
  });

  it('takes upstream\'s binary from --upstream, or none with --no-upstream', () => {
    assert.equal((parseBenchOptions(['--upstream', '/opt/up/vhashify']) as { upstream: unknown }).upstream, '/opt/up/vhashify');
    assert.equal((parseBenchOptions(['--upstream=/opt/up/vhashify']) as { upstream: unknown }).upstream, '/opt/up/vhashify');
    assert.equal((parseBenchOptions(['--no-upstream']) as { upstream: unknown }).upstream, false);
    assert.deepEqual(parseBenchOptions(['--upstream']), { error: '--upstream needs the path of a vhashify binary' });
  });

  it('names what is wrong', () => {
    assert.deepEqual(parseBenchOptions(['--jobs', 'J5']), { error: "--jobs: unknown job 'J5' (choose from J1,J2,J3,J4)" });
    assert.deepEqual(parseBenchOptions(['--runs', '0']), { error: "--runs: '0' is not a positive whole number" });
    assert.deepEqual(parseBenchOptions(['--sizes', '20k,lots']), { error: "--sizes: 'lots' is not a file count like 20k or 1M" });
    assert.deepEqual(parseBenchOptions(['--fast']), { error: "unknown argument '--fast'" });
    assert.deepEqual(parseBenchOptions(['--out']), { error: '--out needs a file name' });
  });
});

describe('parseFileCount and formatFileCount', () => {
  it('read and write counts with k and M suffixes', () => {
    assert.deepEqual(['20k', '200K', '1M', '1.5k', '777'].map(parseFileCount), [20_000, 200_000, 1_000_000, 1500, 777]);
    assert.equal(parseFileCount('1'), undefined);
    assert.equal(parseFileCount('-3k'), undefined);
    assert.deepEqual([20_000, 1_000_000, 1500, 777, 2_500_000].map(formatFileCount), ['20k', '1M', '1.5k', '777', '2.5M']);
  });
});
