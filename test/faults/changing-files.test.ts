// Issue 4.4: files rewritten, appended to, truncated and replaced while hashify runs. No guest file is
// linked to an entry of other content, every entry matches its name, nothing written is lost.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startScript } from './child-script.js';
import { findUnexpectedLines, parseOutputLines, formatLineSummary } from './stderr-lines.js';
import { createTreeCopy, createFaultMount, createFaultSite, removeFaultMount, type FaultSite } from './fault-site.js';
import type { WriterJob, WriterReport } from './file-writer.js';
import { formatManualArgs, runProduct, startProduct } from './spawn-product.js';
import { findStoreProblems, computeFileDigest, computeEntriesByInode, readStore } from './store-audit.js';
import { createSyntheticGuest, EXCLUDE_ETC, type GuestLayout } from './synthetic-guest.js';
import { findLostPaths, findNewPaths, formatSnapshotPath, readTreeSnapshot, type TreeSnapshot } from './tree-snapshot.js';

const WRITER_URL = new URL('./file-writer.js', import.meta.url).href;
/** How long the writer works, per round; the run (started right after it) takes about two seconds. */
const WRITER_MS = [400, 900, 1400];
const EXPECTED_STDERR = [
  /^vhashify: '.*' changed while it was being hashified; it was left alone$/,
  /^Failed to open '.*': No such file or directory$/,
  /^An unexpected event occured while stating '.*'\.$/,
  /^Failed to calculate hash for '.*'\.$/,
  /^(open|link|rename)\(\): No such file or directory$/,
];

let mount = '';
let pristine = '';
let layout: GuestLayout;
before(() => {
  process.umask(0o022);
  mount = createFaultMount('changing', '512m');
  pristine = join(mount, 'pristine');
  mkdirSync(pristine);
  layout = createSyntheticGuest(pristine, { seed: 4404, files: 2000, dirs: 60, largeFiles: 6, largeSize: 3 << 20 });
});
after(() => removeFaultMount(mount));

/** Guest files that are links to store entries, whose current attributes and bytes do not give that entry's name. */
function findMislinked(site: FaultSite, guest: TreeSnapshot, store: ReturnType<typeof readStore>): string[] {
  const entries = computeEntriesByInode(store);
  const problems: string[] = [];
  for (const [path, info] of guest) {
    const entry = entries.get(`${info.dev}:${info.ino}`);
    if (info.type !== 'file' || entry === undefined) continue;
    const digest = computeFileDigest(formatSnapshotPath(site.guest, path), site.method);
    if (digest !== entry.digestHex) problems.push(`${path} is linked to ${entry.name} but holds digest ${digest}`);
  }
  return problems;
}

for (const [round, writerMs] of WRITER_MS.entries()) {
  test(`files changed under a run for ${writerMs} ms are never linked to an entry of other content, and no write is lost`, async (t) => {
    const site = createFaultSite(mount, `round-${round}`);
    writeFileSync(site.exclude, EXCLUDE_ETC);
    createTreeCopy(pristine, site.guest);
    const targets = layout.candidates.filter((_, i) => i % 6 === round);
    const job: WriterJob = { guest: site.guest, targets, seed: 9100 + round, stopFile: join(site.dir, 'stop'), maxIterations: 1_000_000, maxMs: writerMs };
    const writer = startScript<WriterJob, WriterReport>(WRITER_URL, 'runFileWriter', job);
    const run = startProduct(formatManualArgs(site, site.guest, ['-vv']), { cacheDir: site.cache });
    // The writer stops itself after writerMs of work; the run goes on.
    const report = await writer.done;
    // What the guest holds when the writer is done; from here on only hashify touches it (its
    // temporaries come and go meanwhile, and are not guest content).
    const atWriterEnd = readTreeSnapshot(site.guest, undefined, true);
    const result = await run.done;
    t.diagnostic(`writer on ${targets.length} files for ${writerMs} ms: ${JSON.stringify(report)}; run took ${result.ms} ms, exit ${result.code}`);
    const stderrLines = parseOutputLines(result.stderr);
    t.diagnostic(`stderr: ${formatLineSummary(stderrLines)}`);
    assert.equal(result.code, 0);
    assert.deepEqual(findUnexpectedLines(stderrLines, EXPECTED_STDERR), [], 'stderr holds only the expected kinds of lines');
    assert.ok(report.rewrites + report.appends + report.truncates + report.renames > 100, 'the writer really worked during the run');

    const guest = readTreeSnapshot(site.guest, atWriterEnd);
    const store = readStore(site.root);
    assert.deepEqual(findMislinked(site, guest, store), [], 'every guest file linked to an entry gives that entry\'s name');
    assert.deepEqual(findStoreProblems(store, site.method), [], 'every store entry re-hashes to its name');
    assert.deepEqual(findLostPaths(atWriterEnd, guest), [], 'every guest file still holds what it held when the writer stopped');
    assert.deepEqual(findNewPaths(atWriterEnd, guest), [], 'no new names in the guest');
    t.diagnostic(`checked ${guest.size} guest paths and ${store.entries.length} entries (re-hashed); nothing mislinked or lost`);

    const again = await runProduct(formatManualArgs(site, site.guest), { cacheDir: site.cache });
    assert.equal(again.code, 0);
    assert.equal(again.stderr.toString(), '', 'a quiet second run has nothing to complain about');
    const final = readTreeSnapshot(site.guest, guest);
    const finalStore = readStore(site.root);
    const linked = computeEntriesByInode(finalStore);
    const unlinked = [...final].filter(([p, i]) => i.type === 'file' && i.size >= 16n && !p.startsWith('etc/') && !linked.has(`${i.dev}:${i.ino}`));
    assert.deepEqual(unlinked.map(([p]) => p), [], 'the second run linked every file the first one left alone');
    assert.deepEqual(findMislinked(site, final, finalStore), []);
    assert.deepEqual(findStoreProblems(finalStore, site.method), []);
    assert.deepEqual(findLostPaths(guest, final), []);
    t.diagnostic(`second run: every eligible file linked, ${finalStore.entries.length} entries, all consistent`);
  });
}
