import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunFigures } from '../../src/report/run-figures.js';
import {
  countSkipped, formatAllGuestsLine, formatAllScope, formatGuestLine, formatGuestScope, formatTotalsBlock,
} from '../../src/report/totals-text.js';

const figures: RunFigures = {
  scanned: 1234,
  eligible: 1000,
  newlyUnified: 200,
  alreadyUnified: 790,
  skipped: { excluded: 100, 'too small': 120, symlink: 14, 'already unified': 790, 'general error': 2 },
  errors: { total: 3, examine: 0, hash: 2, link: 1, directory: 0, protection: 0 },
  savedByRunBytes: 1258291n,
  savedTotalBytes: 3565158n,
  pageCacheSharedBytes: 3000000n,
  regularFiles: 1100,
  inodes: 400,
  newEntries: 150,
  leftoversRemoved: 0,
  durableSyncs: 3,
  durableWaitNs: 12_000_000n,
};

describe('formatTotalsBlock', () => {
  it('prints a title and one aligned line per figure, reasons and error kinds indented below their totals', () => {
    const text = formatTotalsBlock(Buffer.from("guest 'web1' (/vservers/web1)"), figures, 2_310_000_000n, false).toString();
    assert.equal(text, [
      "vhashify: totals for guest 'web1' (/vservers/web1)",
      '  files scanned         1234',
      '  eligible              1000',
      '  newly unified          200',
      '  already unified        790',
      '  skipped                234',
      '    excluded             100',
      '    too small            120',
      '    symlink               14',
      '  errors                   3',
      '    could not hash         2',
      '    could not link         1',
      '  saved by this run  1.2 MiB  (1258291 bytes)',
      '  saved in total     3.4 MiB  (3565158 bytes)',
      '  new store entries      150',
      '  elapsed             2.31 s',
      '',
    ].join('\n'));
  });

  it('labels a dry run\'s plan: the title and every figure that is not yet true', () => {
    const lines = formatTotalsBlock(Buffer.from("'/srv/g'"), { ...figures, leftoversRemoved: 2 }, 50_000_000n, true).toString().split('\n');
    assert.equal(lines[0], "vhashify: planned totals for '/srv/g' (dry run: nothing was changed)");
    const labels = lines.slice(1, -1).map((line) => line.trim().replace(/\s{2,}.*$/, ''));
    assert.deepEqual(labels.filter((l) => l.endsWith('(planned)')), [
      'newly unified (planned)', 'saved by this run (planned)', 'saved in total (planned)', 'new store entries (planned)',
    ]);
    assert.ok(labels.includes('leftovers removed'), 'a non-zero leftover count gets its line');
  });

  it('keeps the raw bytes of a name in the title', () => {
    const scope = formatGuestScope({ root: Buffer.from([0x2f, 0xff, 0x61]) });
    assert.deepEqual(formatTotalsBlock(scope, figures, 0n, false).subarray(0, 26), Buffer.concat([Buffer.from("vhashify: totals for '/"), Buffer.from([0xff, 0x61]), Buffer.from("'")]));
  });
});

describe('countSkipped', () => {
  it('leaves out already unified and the error reasons, which have lines of their own', () => {
    assert.equal(countSkipped(figures), 234);
  });
});

describe('formatGuestScope and formatAllScope', () => {
  it('name a vserver guest with its tree, a manual run by its path, and all guests by number', () => {
    assert.equal(formatGuestScope({ name: Buffer.from('g'), root: Buffer.from('/v/g') }).toString(), "guest 'g' (/v/g)");
    assert.equal(formatGuestScope({ name: Buffer.from('g') }).toString(), "guest 'g'");
    assert.equal(formatGuestScope({ root: Buffer.from('/srv/x') }).toString(), "'/srv/x'");
    const guest = { exitCode: 0, elapsedNs: 0n };
    assert.equal(formatAllScope([guest, guest, { ...guest, exitCode: 1 }]).toString(), 'all 3 guests (1 failed)');
    assert.equal(formatAllScope([guest]).toString(), 'all 1 guest');
  });
});

describe('formatGuestLine and formatAllGuestsLine', () => {
  it('print one line per guest and one for all, the same figures in the same words', () => {
    const guest = { name: Buffer.from('web1'), exitCode: 0, elapsedNs: 0n, figures };
    assert.equal(formatGuestLine(guest, false).toString(),
      "vhashify: guest 'web1' done: 200 newly unified, 790 already unified, 3 errors; saved 1.2 MiB by this run, 3.4 MiB in total\n");
    assert.equal(formatGuestLine(guest, true).toString().slice(0, 32), "vhashify: guest 'web1' planned: ");
    assert.equal(formatAllGuestsLine([guest, { ...guest, exitCode: 1 }], figures, false).toString(),
      'vhashify: all guests: 1 guest hashified, 1 failed; 200 newly unified, 790 already unified, 3 errors; saved 1.2 MiB by this run, 3.4 MiB in total\n');
  });
});
