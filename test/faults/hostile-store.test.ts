// Issue 4.5, store half: a read-only store and a full one. Per-file messages, exit 0 (QUIRK Q35),
// no guest file lost, no partial entry left.
import assert from 'node:assert/strict';
import { mkdirSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { applyMountOptions, createFaultMount, createFaultSite, createTmpfsWith, removeFaultMount, type FaultSite } from './fault-site.js';
import { formatManualArgs, runProduct } from './spawn-product.js';
import { findStoreProblems, computeFileDigest, computeEntriesByInode, readStore } from './store-audit.js';
import { parseOutputLines, formatLineSummary } from './stderr-lines.js';
import { createContent } from './synthetic-guest.js';
import { readTreeSnapshot } from './tree-snapshot.js';
import { writeFileWithMeta } from '../unify/file-fixture.js';

const META = { uid: 0, gid: 0, mode: 0o644, mtime: new Date(1_500_000_000_000) };

let mount = '';
before(() => {
  process.umask(0o022);
  mount = createFaultMount('store', '16m');
});
after(() => removeFaultMount(mount));

/** A site on a file system of its own (`options` for its tmpfs), the inode index kept elsewhere. */
function createSmallSite(name: string, options: string): FaultSite {
  const fs = join(mount, name);
  mkdirSync(fs);
  createTmpfsWith(fs, options);
  return { ...createFaultSite(fs, 'site'), cache: join(mount, `${name}-cache`) };
}

/** a, b: one content; c: another; t: too small. */
function writeSmallGuest(guest: string): void {
  writeFileWithMeta(join(guest, 'a'), createContent('store-a', 3000), META);
  writeFileWithMeta(join(guest, 'b'), createContent('store-a', 3000), META);
  writeFileWithMeta(join(guest, 'c'), createContent('store-c', 5000), META);
  writeFileWithMeta(join(guest, 't'), 'tiny\n', META);
}

function formatMkdirLine(site: FaultSite, file: string, error: string): string {
  const d = computeFileDigest(join(site.guest, file), site.method);
  return `mkdir("${site.root}${d.slice(0, 2)}/${d.slice(2, 4)}/${d.slice(4)}"): ${error}`;
}

test('a store on a read-only file system: one mkdir() line per file, exit 0, the guest untouched', async (t) => {
  const site = createSmallSite('ro-new', 'size=4m');
  writeSmallGuest(site.guest);
  const before = readTreeSnapshot(site.guest);
  applyMountOptions(join(mount, 'ro-new'), 'ro');
  const result = await runProduct(formatManualArgs(site, site.guest, ['-vv']), { cacheDir: site.cache });
  t.diagnostic(`exit ${result.code}; stderr: ${formatLineSummary(parseOutputLines(result.stderr))}`);
  assert.equal(result.code, 0, 'per-file failures do not change the exit status (QUIRK Q35)');
  const expected = ['a', 'b', 'c'].map((f) => formatMkdirLine(site, f, 'Read-only file system'));
  assert.deepEqual(parseOutputLines(result.stderr).sort(), expected.sort(), 'upstream\'s mkdir() line, with the real error');
  assert.match(result.stdout.toString(), /  skipping '\/a' \(general error\)\n/);
  assert.deepEqual([...readTreeSnapshot(site.guest, before)], [...before], 'the guest is bit-for-bit unchanged');
});

test('existing entries on a file system remounted read-only: one link() line per file, exit 0, the guest untouched', async (t) => {
  const site = createSmallSite('ro-link', 'size=4m');
  writeSmallGuest(site.guest);
  const first = await runProduct(formatManualArgs(site, site.guest), { cacheDir: site.cache });
  assert.equal(first.code, 0);
  const guest2 = join(site.dir, 'guest2');
  mkdirSync(guest2);
  writeSmallGuest(guest2);
  const before1 = readTreeSnapshot(site.guest);
  const before2 = readTreeSnapshot(guest2);
  applyMountOptions(join(mount, 'ro-link'), 'ro');
  const result = await runProduct(formatManualArgs(site, guest2, ['-vv']), { cacheDir: site.cache });
  t.diagnostic(`exit ${result.code}; stderr: ${formatLineSummary(parseOutputLines(result.stderr))}`);
  assert.equal(result.code, 0);
  assert.deepEqual(parseOutputLines(result.stderr), ['link(): Read-only file system', 'link(): Read-only file system', 'link(): Read-only file system']);
  assert.equal((result.stdout.toString().match(/^unifying {3}'/gm) ?? []).length, 3, 'the unifying lines come before the link, as upstream prints them');
  assert.deepEqual([...readTreeSnapshot(guest2, before2)], [...before2], 'the second guest is bit-for-bit unchanged');
  assert.deepEqual([...readTreeSnapshot(site.guest, before1)], [...before1], 'the first guest too');
});

test('a file system that fills up during a copy: write() lines, no partial entry, and a later run with room links everything', async (t) => {
  const site = createSmallSite('full', 'size=2m');
  writeFileWithMeta(join(site.guest, 'big1'), createContent('full-1', 700_000), META);
  writeFileWithMeta(join(site.guest, 'big2'), createContent('full-2', 700_000), META);
  writeFileWithMeta(join(site.guest, 's1'), createContent('full-s', 100), META);
  writeFileWithMeta(join(site.guest, 's2'), createContent('full-s', 100), META);
  writeFileSync(site.exclude, '');
  const before = readTreeSnapshot(site.guest);
  const result = await runProduct(formatManualArgs(site, site.guest, ['-vv']), { cacheDir: site.cache });
  t.diagnostic(`exit ${result.code}; stderr: ${formatLineSummary(parseOutputLines(result.stderr))}`);
  assert.equal(result.code, 0);
  assert.deepEqual(parseOutputLines(result.stderr), ['write(): No space left on device', 'write(): No space left on device'], 'both large copies ran out of room');
  const after = readTreeSnapshot(site.guest, before);
  for (const big of ['big1', 'big2']) assert.deepEqual(after.get(big), before.get(big), `${big} is the very same file`);
  const store = readStore(site.root);
  assert.deepEqual(findStoreProblems(store, site.method), [], 'no partial entry, temporary or placeholder is left');
  assert.equal(store.entries.length, 1, 'the small files got their entry');

  applyMountOptions(join(mount, 'full'), 'size=8m');
  const again = await runProduct(formatManualArgs(site, site.guest), { cacheDir: site.cache });
  assert.equal(again.code, 0);
  assert.equal(again.stderr.toString(), '');
  const final = readTreeSnapshot(site.guest, after);
  const finalStore = readStore(site.root);
  assert.deepEqual(findStoreProblems(finalStore, site.method), []);
  const entries = computeEntriesByInode(finalStore);
  for (const f of ['big1', 'big2', 's1', 's2']) assert.ok(entries.has(`${final.get(f)!.dev}:${final.get(f)!.ino}`), `${f} is linked now`);
  t.diagnostic(`after growing the file system: ${finalStore.entries.length} entries, every file linked`);
});

test('a file system out of inodes: mkdir() lines naming No space left on device, the guest untouched', async (t) => {
  const site = createSmallSite('no-inodes', 'size=4m,nr_inodes=64');
  writeSmallGuest(site.guest);
  const stats = statfsSync(join(mount, 'no-inodes'));
  // One inode left: the first fan-out directory gets it, everything after that fails.
  applyMountOptions(join(mount, 'no-inodes'), `nr_inodes=${stats.files - stats.ffree + 1}`);
  const before = readTreeSnapshot(site.guest);
  const result = await runProduct(formatManualArgs(site, site.guest, ['-vv']), { cacheDir: site.cache });
  t.diagnostic(`exit ${result.code}; stderr: ${formatLineSummary(parseOutputLines(result.stderr))}`);
  assert.equal(result.code, 0);
  const expected = ['a', 'b', 'c'].map((f) => formatMkdirLine(site, f, 'No space left on device'));
  assert.deepEqual(parseOutputLines(result.stderr).sort(), expected.sort());
  assert.deepEqual([...readTreeSnapshot(site.guest, before)], [...before]);
  assert.deepEqual(readStore(site.root).entries, [], 'no entry, no placeholder');
});
