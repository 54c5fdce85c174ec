import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GuestFigures } from '../../src/report/guest-figures.js';
import { computeHashifiedPercent, formatOverviewJson, formatOverviewText, type OverviewReport } from '../../src/report/overview-report.js';
import { createStoreFigures } from '../../src/store/store-figures.js';

const guestFigures: GuestFigures = {
  eligible: 8, eligibleBytes: 4096n, linked: 6, linkedBytes: 3072n, noStorageRoot: 0, unprotectedEntries: 0, failedDirs: 0,
  sharing: { files: 8, inodes: 7, savedBytes: 4096n, pageCacheSharedBytes: 512n },
};

function createReport(policy?: string): OverviewReport {
  const store = { ...createStoreFigures(), entries: 5, inodes: 5, allocatedBytes: 20480n, apparentBytes: 900n, orphans: 1, orphanBytes: 4096n, savedBytes: 8192n, pageCacheSharedBytes: 600n };
  return {
    guests: [{ label: Buffer.from('g1'), root: Buffer.from('/vservers/g1'), hashDir: '/etc/vservers/.defaults/apps/vunify/hash', figures: guestFigures }],
    stores: [{ hashDir: '/etc/vservers/.defaults/apps/vunify/hash', roots: [Buffer.from('/etc/vservers/.defaults/apps/vunify/hash/root/')], figures: store, ...(policy === undefined ? {} : { policy }) }],
  };
}

test('the percentage hashified has one decimal, and there is none without eligible files', () => {
  assert.equal(computeHashifiedPercent({ eligible: 3, linked: 2 }), 66.7);
  assert.equal(computeHashifiedPercent({ eligible: 0, linked: 0 }), undefined);
});

test('the text has a block per guest and per store, values in one column', () => {
  assert.equal(formatOverviewText(createReport('immutable')).toString(), [
    'guest g1',
    '  directory              /vservers/g1',
    '  eligible files         8 (4.0 KiB)',
    '  linked into the store  6 (3.0 KiB)',
    '  hashified              75.0 %',
    '  bytes saved            4.0 KiB',
    '  page cache shared      512 B',
    '  protection             immutable, in place on every one',
    'store /etc/vservers/.defaults/apps/vunify/hash',
    '  storage roots          /etc/vservers/.defaults/apps/vunify/hash/root/',
    '  entries                5 (20.0 KiB on disk)',
    '  orphaned entries       1 (4.0 KiB; no guest links them: --gc removes them)',
    '  leftovers              0',
    '  bytes saved            8.0 KiB',
    '  page cache shared      600 B',
    '  protection             immutable, in place on every one',
    '',
  ].join('\n'));
});

test('a store without a policy says that a run would refuse', () => {
  assert.match(formatOverviewText(createReport()).toString(), /protection +none decided \('auto' on a kernel without Linux-VServer/);
});

test('the JSON document carries the figures as numbers, with its report name and layout version', () => {
  const doc = JSON.parse(formatOverviewJson(createReport('none'))) as Record<string, unknown>;
  assert.equal(doc['report'], 'overview');
  assert.equal(doc['version'], 1);
  assert.deepEqual((doc['guests'] as unknown[])[0], {
    guest: 'g1', directory: '/vservers/g1', hashDir: '/etc/vservers/.defaults/apps/vunify/hash',
    eligibleFiles: 8, eligibleBytes: 4096, linkedFiles: 6, linkedBytes: 3072, hashifiedPercent: 75, noStorageRootFiles: 0,
    savedBytes: 4096, pageCacheSharedBytes: 512, unprotectedEntries: 0, unreadableDirectories: 0, hold: null,
  });
  const store = (doc['stores'] as Array<Record<string, unknown>>)[0]!;
  assert.equal(store['protection'], 'none');
  assert.equal(store['orphanedEntries'], 1);
});
