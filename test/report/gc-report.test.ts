import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGcJson, formatGcLine, formatGcSummary, formatStrayLine, type GcStoreReport } from '../../src/report/gc-report.js';

const report: GcStoreReport = {
  hashDir: '/h',
  removed: [
    { kind: 'orphaned entry', path: Buffer.from('/h/root/ab/cd/ef-00000000') },
    { kind: 'orphaned entry', path: Buffer.from('/h/root/ab/cd/01-00000000') },
    { kind: 'empty directory', path: Buffer.from('/h/root/ab/cd') },
  ],
  freedBytes: 8192n,
  failed: [],
  strays: [Buffer.from('/h/root/README')],
};

test('a line per name says what it is, and whether it went or would go', () => {
  assert.equal(formatGcLine('placeholder', Buffer.from('/h/root/x'), true).toString(), "  would remove '/h/root/x' (placeholder)\n");
  assert.equal(formatGcLine('temporary', Buffer.from('/h/root/y'), false).toString(), "  removed '/h/root/y' (temporary)\n");
  assert.equal(formatStrayLine(Buffer.from('/h/root/README')).toString(), "  left alone '/h/root/README' (not made by vhashify)\n");
});

test('the summary counts each kind, singular or plural, and what was freed', () => {
  assert.equal(formatGcSummary(report, false).toString(),
    "gc '/h': removed 2 orphaned entries, 0 placeholders, 0 temporaries and 1 empty directory, freeing 8.0 KiB\n");
  assert.equal(formatGcSummary({ ...report, failed: [{ path: Buffer.from('x'), reason: 'r' }] }, true).toString(),
    "gc '/h': would remove 2 orphaned entries, 0 placeholders, 0 temporaries and 1 empty directory, freeing 8.0 KiB; 1 could not be removed\n");
});

test('the JSON document lists every name removed and every name left alone', () => {
  const doc = JSON.parse(formatGcJson([report], true)) as { report: string; version: number; dryRun: boolean; stores: Array<Record<string, unknown>> };
  assert.equal(doc.report, 'gc');
  assert.equal(doc.dryRun, true);
  assert.equal(doc.stores[0]!['freedBytes'], 8192);
  assert.deepEqual(doc.stores[0]!['otherNames'], ['/h/root/README']);
  assert.deepEqual((doc.stores[0]!['removed'] as unknown[])[2], { kind: 'empty directory', path: '/h/root/ab/cd' });
});
