import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createScanCountRecorder, readScanCount, writeScanCount } from '../../src/report/scan-counts.js';
import type { FileStat } from '../../src/sys/file-stat.js';
import { fakeFile, skipEvent } from './report-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'vhashify-scan-counts-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const rootOf = (ino: bigint): FileStat => ({ dev: 1n, ino, birthtimeNs: 5n }) as unknown as FileStat;

describe('readScanCount and writeScanCount', () => {
  it('keep one count per tree, known by its root directory\'s identity', () => {
    const cache = join(dir, 'a', 'cache');
    assert.equal(readScanCount(cache, rootOf(1n)), undefined);
    writeScanCount(cache, rootOf(1n), 1234);
    writeScanCount(cache, rootOf(2n), 5);
    assert.equal(readScanCount(cache, rootOf(1n)), 1234);
    assert.equal(readScanCount(cache, rootOf(2n)), 5);
    assert.deepEqual(readdirSync(cache).sort(), ['1-1-5.scanned', '1-2-5.scanned']);
  });

  it('ignores a damaged count and a cache it cannot write', () => {
    const cache = join(dir, 'b');
    writeScanCount(cache, rootOf(1n), 7);
    writeFileSync(join(cache, '1-1-5.scanned'), 'seven\n');
    assert.equal(readScanCount(cache, rootOf(1n)), undefined);
    writeFileSync(join(dir, 'file'), '');
    assert.doesNotThrow(() => writeScanCount(join(dir, 'file', 'below'), rootOf(1n), 1));
  });
});

describe('createScanCountRecorder', () => {
  it('records the entries of a traversal that completed, and nothing for one that stopped', () => {
    const cache = join(dir, 'c');
    const record = createScanCountRecorder(cache);
    record({ kind: 'traversal-begin', root: Buffer.from('/g'), rootStat: rootOf(1n) });
    record(skipEvent('.', 'dotfile'));
    record(skipEvent('x', 'too small', fakeFile(9n)));
    record(skipEvent('y', 'excluded'));
    record({ kind: 'traversal-end', complete: true, durable: { syncs: 0, waitedNs: 0n } });
    record({ kind: 'traversal-begin', root: Buffer.from('/h'), rootStat: rootOf(2n) });
    record(skipEvent('x', 'too small', fakeFile(9n)));
    record({ kind: 'traversal-end', complete: false, durable: { syncs: 0, waitedNs: 0n } });
    assert.equal(readScanCount(cache, rootOf(1n)), 2);
    assert.equal(readScanCount(cache, rootOf(2n)), undefined);
  });
});
