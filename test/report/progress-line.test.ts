import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Params } from 'cli-progress';
import { formatProgressLine, ProgressLine } from '../../src/report/progress-line.js';
import type { FileStat } from '../../src/sys/file-stat.js';
import { fakeFile, skipEvent } from './report-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'vhashify-progress-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

const ESC = '\u001b';
// cli-progress' end of a line: restore the cursor saved at start, column 1, erase the whole line.
const CLEARED = `${ESC}8${ESC}[1G${ESC}[2K`;

/** A ProgressLine drawing into a file instead of a terminal; `read()` gives what it wrote so far. */
function createLine(previous: Map<bigint, number> = new Map(), columns = 100): { line: ProgressLine; read(): string; close(): void } {
  const file = join(dir, `t${counter++}`);
  const fd = openSync(file, 'w');
  const line = new ProgressLine({
    fd,
    readColumns: () => columns,
    readPreviousCount: (rootStat) => previous.get(rootStat.ino),
    // No redraw between the events of a test: only the forced ones (start of a traversal) draw.
    intervalMs: 60_000,
  });
  return { line, read: () => readFileSync(file, 'latin1'), close: () => closeSync(fd) };
}

const rootOf = (ino: bigint): FileStat => ({ dev: 1n, ino, birthtimeNs: 0n }) as unknown as FileStat;

/** The text of every drawing, escape sequences taken out. */
function drawings(written: string): string[] {
  return written.split(ESC).map((part) => part.replace(/^(\[\d*[A-Za-z]|[78])/, '')).filter((part) => part !== '');
}

describe('ProgressLine', () => {
  it('draws nothing before a traversal begins, and nothing when stopped then', () => {
    const t = createLine();
    t.line.observe({ kind: 'guest-begin', name: Buffer.from('g'), index: 0, count: 1 });
    t.line.stop();
    assert.equal(t.read(), '');
    t.close();
  });

  it('draws the guest, files, bytes and rate when a traversal begins, and clears the line for good at the end', () => {
    const t = createLine();
    t.line.observe({ kind: 'guest-begin', name: Buffer.from('web1'), index: 0, count: 1 });
    t.line.observe({ kind: 'traversal-begin', root: Buffer.from('/v/web1'), rootStat: rootOf(1n) });
    t.line.observe(skipEvent('a', 'too small', fakeFile(5n, 1n, 8n, 10n)));
    t.line.stop();
    t.line.observe(skipEvent('b', 'too small', fakeFile(6n)));
    const written = t.read();
    assert.match(drawings(written)[0] ?? '', /^vhashify: guest 'web1': 0 files, 0 B, 0 files\/s$/);
    assert.ok(written.endsWith(CLEARED), JSON.stringify(written));
    assert.equal(written.split(CLEARED).length, 2, 'cleared once, and nothing drawn after stop');
    t.close();
  });

  it('is cleared by suspend() and drawn again by the next forced update', () => {
    const t = createLine();
    t.line.observe({ kind: 'traversal-begin', root: Buffer.from('/srv/tree'), rootStat: rootOf(1n) });
    t.line.suspend();
    const afterSuspend = t.read();
    assert.ok(afterSuspend.endsWith(CLEARED));
    t.line.suspend();
    assert.equal(t.read(), afterSuspend, 'a cleared line is not cleared again');
    t.line.observe({ kind: 'traversal-begin', root: Buffer.from('/srv/tree'), rootStat: rootOf(1n) });
    assert.ok(t.read().length > afterSuspend.length);
    assert.match(drawings(t.read()).at(-1) ?? '', /^vhashify: \/srv\/tree: 0 files/);
    t.line.stop();
    t.close();
  });

  it('shows a percentage once a total is known: from the previous run\'s count of the tree', () => {
    const t = createLine(new Map([[1n, 400]]));
    t.line.observe({ kind: 'guest-begin', root: Buffer.from('/srv/tree'), index: 0, count: 1 });
    t.line.observe({ kind: 'traversal-begin', root: Buffer.from('/srv/tree'), rootStat: rootOf(1n) });
    assert.match(drawings(t.read())[0] ?? '', /, 0%/);
    t.line.stop();
    t.close();
  });

  it('estimates the guests of --all still to come from the average of those done', () => {
    const t = createLine();
    const guest = (index: number, files: number): void => {
      t.line.observe({ kind: 'guest-begin', name: Buffer.from(`g${index}`), index, count: 3 });
      t.line.observe({ kind: 'traversal-begin', root: Buffer.from(`/v/g${index}`), rootStat: rootOf(BigInt(index + 10)) });
      for (let i = 0; i < files; i += 1) t.line.observe(skipEvent(`f${i}`, 'too small', fakeFile(BigInt(i))));
      t.line.observe({ kind: 'traversal-end', complete: true, durable: { syncs: 0, waitedNs: 0n } });
      t.line.observe({ kind: 'guest-end', exitCode: 0 });
    };
    try {
      guest(0, 10);
      guest(1, 30);
    } finally {
      t.line.stop();
      t.close();
    }
    const lines = drawings(t.read());
    assert.match(lines[0] ?? '', /^vhashify: guest 'g0' \(1\/3\): 0 files, [^%]*$/, 'no total known for the first guest');
    // Second guest: 10 done, and 10 each expected for it and the third: 10 of 30.
    assert.match(lines[1] ?? '', /^vhashify: guest 'g1' \(2\/3\): 10 files, .*, 33%/);
  });
});

describe('formatProgressLine', () => {
  const params = { eta: 42, progress: 0.5, total: 200, value: 100 } as unknown as Params;
  const payload = { label: "guest 'g'", files: 100, bytes: 1536, startMs: Date.now() - 10_000, total: 200 };

  it('says files, bytes, the rate, the share done and the time left', () => {
    assert.match(formatProgressLine(params, payload, 200), /^vhashify: guest 'g': 100 files, 1\.5 KiB, 10 files\/s, 50% ETA 0:42$/);
  });

  it('leaves the share and time out while no total is known, and the time while cli-progress has none', () => {
    assert.match(formatProgressLine(params, { ...payload, total: undefined }, 200), /files\/s$/);
    assert.match(formatProgressLine({ ...params, eta: 'NULL' } as unknown as Params, payload, 200), /50%$/);
  });

  it('is cut one column short of the terminal\'s width', () => {
    assert.equal(formatProgressLine(params, payload, 20), "vhashify: guest 'g'");
  });
});
