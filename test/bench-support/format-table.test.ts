import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeMedian, formatCell, formatMarkdownTable, formatRatio, formatSeconds, summarizeSamples, type Sample } from '../bench/format-table.js';

const sample = (job: string, role: Sample['role'], tool: string, wallS: number, over: Partial<Sample> = {}): Sample => ({
  job, role, tool, run: 1, wallS, cpuS: wallS / 2, maxRssKiB: 10 * 1024, files: 1000, ...over,
});

describe('computeMedian', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    assert.equal(computeMedian([5, 1, 3]), 3);
    assert.equal(computeMedian([4, 1, 3, 2]), 2.5);
    assert.throws(() => computeMedian([]), RangeError);
  });
});

describe('summarizeSamples', () => {
  const samples = [
    sample('J1', 'ours', 'vhashify', 12), sample('J1', 'ours', 'vhashify', 10, { maxRssKiB: 50 * 1024 }), sample('J1', 'ours', 'vhashify', 30),
    sample('J2', 'ours', 'vhashify', 2), sample('J1', 'floor', 'floor', 4), sample('J1', 'hardlink', 'hardlink -s 16', 8),
    sample('J2', 'hardlink', 'hardlink -s 16 (re-run)', 1),
  ];
  const rows = summarizeSamples(samples, { J1: 'real guests' });

  it('groups by job and tool, with medians and the largest peak', () => {
    assert.deepEqual(rows.map((r) => `${r.job} ${r.role}`), ['J1 ours', 'J1 hardlink', 'J1 floor', 'J2 ours', 'J2 hardlink']);
    const ours = rows[0]!;
    assert.deepEqual([ours.job, ours.title, ours.runs, ours.medianWallS, ours.medianCpuS, ours.peakRssMiB], ['J1', 'real guests', 3, 12, 6, 50]);
    assert.equal(ours.filesPerS, 1000 / 12);
  });

  it('divides our median by the baselines of the same job', () => {
    assert.equal(rows[0]!.vsHardlink, 12 / 8);
    assert.equal(rows[0]!.cpuVsHardlink, rows[0]!.medianCpuS / rows.find((r) => r.job === rows[0]!.job && r.role === 'hardlink')!.medianCpuS);
    assert.equal(rows[0]!.vsFloor, 12 / 4);
    assert.equal(rows[1]!.vsHardlink, undefined, 'no ratios on baseline rows');
  });

  it('compares the daily re-run with the re-run of hardlink and the floor of J1', () => {
    const daily = rows.find((r) => r.job === 'J2' && r.role === 'ours')!;
    assert.equal(daily.vsHardlink, 2);
    assert.equal(daily.vsFloor, 0.5);
  });
});

describe('the upstream rows', () => {
  const rows = summarizeSamples([
    sample('J1', 'ours', 'vhashify', 12), sample('J1', 'hardlink', 'hardlink -s 16', 8), sample('J1', 'floor', 'floor', 4),
    sample('J1', 'upstream', 'upstream vhashify', 10), sample('J1', 'upstream', 'upstream vhashify --sledgehammer', 5),
    sample('J1', 'ours', 'vhashify --sledgehammer', 6), sample('J2', 'ours', 'vhashify', 2), sample('J2', 'hardlink', 'hardlink -s 16 (re-run)', 1),
  ], { J1: 'real guests' });

  it('come after ours and before the baselines, each with its own ratios to the baselines', () => {
    assert.deepEqual(rows.filter((r) => r.job === 'J1').map((r) => r.tool), [
      'vhashify', 'vhashify --sledgehammer', 'upstream vhashify', 'upstream vhashify --sledgehammer', 'hardlink -s 16', 'floor',
    ]);
    const upstream = rows.find((r) => r.tool === 'upstream vhashify')!;
    assert.deepEqual([upstream.vsHardlink, upstream.cpuVsHardlink, upstream.vsFloor, upstream.vsUpstream], [10 / 8, 5 / 4, 10 / 4, undefined]);
  });

  it('divide ours by upstream doing the same mode, and leave jobs without upstream blank', () => {
    assert.equal(rows.find((r) => r.tool === 'vhashify' && r.job === 'J1')!.vsUpstream, 12 / 10);
    assert.equal(rows.find((r) => r.tool === 'vhashify --sledgehammer')!.vsUpstream, 6 / 5);
    assert.equal(rows.find((r) => r.job === 'J2' && r.role === 'ours')!.vsUpstream, undefined);
  });

  it('add the ours ÷ upstream column, which is absent when upstream was not measured', () => {
    const lines = formatMarkdownTable(rows).split('\n');
    assert.equal(lines[0], '| job | tool | runs | wall s (median) | CPU s (median) | peak RSS MiB | files/s | wall ÷ hardlink | CPU ÷ hardlink | wall ÷ floor | ours ÷ upstream |');
    assert.equal(lines[1], '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    assert.equal(lines[2], '| J1 | vhashify | 1 | 12.0 | 6.00 | 10 | 83 | 1.50× | 1.50× | 3.00× | 1.20× |');
    assert.equal(lines[4], '| J1 | upstream vhashify | 1 | 10.0 | 5.00 | 10 | 100 | 1.25× | 1.25× | 2.50× |  |');
    assert.equal(lines[6], '| J1 | hardlink -s 16 | 1 | 8.00 | 4.00 | 10 | 125 |  |  |  |  |');
    assert.equal(lines[8], '| J2 | vhashify | 1 | 2.00 | 1.00 | 10 | 500 | 2.00× | 2.00× | 0.50× | – |');
    const without = formatMarkdownTable(rows.filter((r) => r.role !== 'upstream')).split('\n');
    assert.doesNotMatch(without[0]!, /upstream/);
    assert.equal(without[2], '| J1 | vhashify | 1 | 12.0 | 6.00 | 10 | 83 | 1.50× | 1.50× | 3.00× |');
  });
});

describe('formatMarkdownTable', () => {
  it('writes one row per job and tool, escapes pipes, and adds a legend', () => {
    const rows = summarizeSamples([sample('J1', 'floor', 'find | xargs', 4), sample('J1', 'ours', 'vhashify', 12.345)], { J1: 'real guests' });
    const lines = formatMarkdownTable(rows).split('\n');
    assert.equal(lines[0], '| job | tool | runs | wall s (median) | CPU s (median) | peak RSS MiB | files/s | wall ÷ hardlink | CPU ÷ hardlink | wall ÷ floor |');
    assert.equal(lines[2], '| J1 | vhashify | 1 | 12.3 | 6.17 | 10 | 81 | – | – | 3.09× |');
    assert.equal(lines[3], '| J1 | find \\| xargs | 1 | 4.00 | 2.00 | 10 | 250 |  |  |  |');
    assert.equal(lines[5], '- J1: real guests');
  });

  it('formats seconds and ratios by magnitude', () => {
    assert.deepEqual([0.0834, 3.14159, 42.42, 1234.5].map(formatSeconds), ['0.083', '3.14', '42.4', '1235']);
    assert.equal(formatRatio(undefined), '–');
    assert.equal(formatRatio(0.5), '0.50×');
    assert.equal(formatCell('a|b|c'), 'a\\|b\\|c');
  });
});

describe('the cost of durability', () => {
  const rows = summarizeSamples([
    sample('J1', 'ours', 'vhashify', 10, { durable: { syncs: 12, waitS: 0.5 } }),
    sample('J1', 'ours', 'vhashify', 12, { durable: { syncs: 14, waitS: 0.9 } }),
    sample('J1', 'ours', 'vhashify', 11, { durable: { syncs: 13, waitS: 0.6 } }),
    sample('J1', 'ours', 'vhashify --sledgehammer', 9, { durable: { syncs: 0, waitS: 0 } }),
    sample('J1', 'hardlink', 'hardlink -s 16', 8),
  ], {});

  it('takes the medians of the syncs and of the time waited, for our rows only', () => {
    assert.deepEqual(rows.find((r) => r.tool === 'vhashify')!.durable, { syncs: 13, waitS: 0.6 });
    assert.equal(rows.find((r) => r.role === 'hardlink')!.durable, undefined);
  });

  it('lists the rows that synced below the table, with the share of their wall time', () => {
    const table = formatMarkdownTable(rows);
    assert.ok(table.endsWith('\n- J1 vhashify: 13 syncfs, 0.600 s waited (5.5 % of its wall time)\n'), table);
    assert.ok(!table.includes('--sledgehammer: 0 syncfs'), 'rows that made nothing durable are left out');
  });
});
