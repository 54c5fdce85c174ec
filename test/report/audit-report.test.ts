import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAuditJson, formatAuditSummary, formatDamagedEntry, type AuditStoreReport, type DamagedEntry } from '../../src/report/audit-report.js';

const damaged: DamagedEntry = {
  path: Buffer.from('/h/root/ab/cd/ef-00000000'),
  stat: { size: 40n, mode: 0o100644n, uid: 0n, gid: 0n, mtimeNs: 1_234_567_890_000_000_000n, nlink: 4n },
  linkedBy: [{ guest: Buffer.from('g1'), path: Buffer.from('/etc/motd') }, { guest: Buffer.from('g2'), path: Buffer.from('/etc/motd') }],
  otherLinks: 1n,
};

test('a damaged entry is named with the guest paths that link it and the links elsewhere', () => {
  assert.equal(formatDamagedEntry(damaged, false).toString(), [
    "damaged store entry '/h/root/ab/cd/ef-00000000': its content or attributes no longer give its name (changed in place)",
    "  linked by 'g1' as '/etc/motd'",
    "  linked by 'g2' as '/etc/motd'",
    '  1 link outside the guests looked at',
    '',
  ].join('\n'));
});

test('what the fix did, or would do, follows', () => {
  const fixed = { ...damaged, fix: { guests: [Buffer.from('g1')], removed: true, problems: [] } };
  assert.match(formatDamagedEntry(fixed, true).toString(), /  fix: would give 'g1' its own copy of what it holds\n  fix: would take the entry out of the store\n$/);
  assert.match(formatDamagedEntry(fixed, false).toString(), /  fix: gave 'g1' its own copy of what it holds\n  fix: took the entry out of the store\n$/);
});

test('the summary counts what was checked and found', () => {
  const report: AuditStoreReport = { hashDir: '/h', entries: 10, checked: 4, matchingIgnoringMtime: 0, placeholders: 1, damaged: [], unreadable: [] };
  assert.equal(formatAuditSummary(report, false).toString(), "audit '/h': 4 of 10 entries checked, 0 damaged, 1 placeholder skipped\n");
  const found = { ...report, damaged: [{ ...damaged, fix: { guests: [], removed: true, problems: [] } }] };
  assert.equal(formatAuditSummary(found, false).toString(), "audit '/h': 4 of 10 entries checked, 1 damaged (1 fixed), 1 placeholder skipped\n");
});

test('the JSON document gives each damaged entry with its attributes and links', () => {
  const report: AuditStoreReport = { hashDir: '/h', entries: 10, checked: 10, matchingIgnoringMtime: 3, placeholders: 0, damaged: [damaged], unreadable: [] };
  const doc = JSON.parse(formatAuditJson([report], { dryRun: false, fix: false })) as { stores: Array<{ damaged: unknown[] }> };
  assert.deepEqual(doc.stores[0]!.damaged[0], {
    entry: '/h/root/ab/cd/ef-00000000', size: 40, mode: '0644', uid: 0, gid: 0, mtimeNs: '1234567890000000000', links: 4,
    linkedBy: [{ guest: 'g1', path: '/etc/motd' }, { guest: 'g2', path: '/etc/motd' }], otherLinks: 1,
  });
});
