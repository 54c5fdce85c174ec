// Issue 10.6: a new entry's data is on disk before any guest path points at it. These machines
// cannot cut the power, so the order is checked in a system-call trace: every copy is closed, then a
// syncfs starts and completes, and only then is the copy renamed into its slot (after which the guest
// names are linked to it).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createFaultMount, createFaultSite, removeFaultMount } from './fault-site.js';
import { formatManualArgs, hasStrace, runProduct } from './spawn-product.js';
import { readStore } from './store-audit.js';
import { createContent } from './synthetic-guest.js';

let mount = '';
before(() => {
  process.umask(0o022);
  mount = createFaultMount('durability', '256m');
});
after(() => removeFaultMount(mount));

/** One system call: its thread, its text (an interrupted call joined with its resumption), when it began and ended. */
interface Call {
  pid: string;
  text: string;
  start: number;
  end: number;
}

/** The calls of an strace -f log in the order they ended; `start`/`end` are line numbers. */
function readTrace(path: string): Call[] {
  const calls: Call[] = [];
  const pending = new Map<string, { text: string; start: number }>();
  readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
    const m = /^(\d+) +(.*)$/.exec(line);
    if (m === null) return;
    const [, pid, text] = m as unknown as [string, string, string];
    const unfinished = /^(.*) <unfinished \.\.\.>$/.exec(text);
    if (unfinished !== null) {
      pending.set(pid, { text: unfinished[1]!, start: i });
      return;
    }
    const resumed = /^<\.\.\. [a-z0-9_]+ resumed>(.*)$/.exec(text);
    if (resumed !== null) {
      const begun = pending.get(pid);
      pending.delete(pid);
      if (begun !== undefined) calls.push({ pid, text: begun.text + resumed[1]!, start: begun.start, end: i });
      return;
    }
    calls.push({ pid, text, start: i, end: i });
  });
  return calls;
}

test('every copy is written and closed, then a completed syncfs, then renamed into its slot', { skip: !hasStrace() && 'strace is not installed' }, async (t) => {
  const site = createFaultSite(mount, 'order');
  // Enough files for the hashing threads to prepare copies ahead, in batches; half of them twins.
  for (let i = 0; i < 300; i += 1) {
    const dir = join(site.guest, `d${i % 7}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i}`), createContent(`durable-${i % 150}`, 2000 + (i % 150) * 37));
  }
  const log = join(site.dir, 'strace.log');
  const run = await runProduct(formatManualArgs(site, site.guest), { cacheDir: site.cache },
    ['strace', '-f', '-qq', '-s', '300', '-o', log, '-e', 'trace=openat,close,syncfs,renameat,renameat2']);
  assert.equal(run.code, 0, run.stderr.toString());
  const trace = readTrace(log);

  const syncs = trace.filter((c) => /^syncfs\(\d+\) += 0$/.test(c.text));
  const copies = new Map<string, { closedAt: number }>();
  trace.forEach((call, i) => {
    const opened = /^openat\(\d+, "(\.vhashify-tmp\/copy;[A-Za-z0-9]{6})", O_WRONLY\|O_CREAT\|O_EXCL[^)]*\) += (\d+)$/.exec(call.text);
    if (opened === null) return;
    const closed = trace.find((later, j) => j > i && later.pid === call.pid && new RegExp(`^close\\(${opened[2]!}\\) += 0$`).test(later.text));
    assert.ok(closed !== undefined, `${opened[1]} is closed by the thread that wrote it`);
    copies.set(opened[1]!, { closedAt: closed.end });
  });
  let checked = 0;
  for (const call of trace) {
    // renameat2 without flags: glibc makes it the renameat system call.
    const renamed = /^renameat2?\(\d+, "(\.vhashify-tmp\/copy;[A-Za-z0-9]{6})", \d+, "([0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]+-[0-9a-f]{8})"(?:, 0)?\) += 0$/.exec(call.text);
    if (renamed === null) continue;
    const copy = copies.get(renamed[1]!);
    assert.ok(copy !== undefined, `${renamed[1]} was written in this run`);
    const synced = syncs.some((sync) => sync.start > copy.closedAt && sync.end < call.start);
    assert.ok(synced, `${renamed[1]} → ${renamed[2]}: a syncfs started after the copy was closed and completed before the rename`);
    checked += 1;
  }
  const entries = readStore(site.root).entries.length;
  t.diagnostic(`${checked} copies renamed into slots after a sync; ${syncs.length} syncfs calls for ${entries} new entries`);
  assert.equal(checked, entries, 'every new entry came from a synced copy');
  assert.ok(syncs.length <= Math.ceil(entries / 8), `syncs are batched (${syncs.length} for ${entries} entries)`);
});
