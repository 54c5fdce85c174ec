// Issue 4.2: kill -9 at random moments; nothing is lost, the next run completes, the end state is an uninterrupted run's.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { createTreeCopy, createFaultMount, createFaultSite, removeFaultMount, type FaultSite } from './fault-site.js';
import { computeEntryLinks, computeLeftoverCounts, findCrashDamage, findTempPaths, type LeftoverCounts } from './guest-checks.js';
import { formatManualArgs, runProduct, startProduct } from './spawn-product.js';
import { findStoreProblems, readStore } from './store-audit.js';
import { createRandom, createSyntheticGuest, EXCLUDE_ETC } from './synthetic-guest.js';
import { computeSharingGroups, findLostPaths, readTreeSnapshot, type TreeSnapshot } from './tree-snapshot.js';

const SEED = 20261129;
/** Kills per group, then one run that is let finish: 26 kills per mode, 52 in all. */
const GROUPS = [6, 5, 4, 3, 2, 1, 5];
const MIN_DELAY_MS = 20;
const MAX_DELAY_MS = 1500;

let mount = '';
let pristine = '';
let pristineSnapshot: TreeSnapshot;
before(() => {
  process.umask(0o022);
  mount = createFaultMount('crash', '1g');
  pristine = join(mount, 'pristine');
  mkdirSync(pristine);
  createSyntheticGuest(pristine, { seed: SEED, files: 2500, dirs: 70, largeFiles: 6, largeSize: 6 << 20 });
  pristineSnapshot = readTreeSnapshot(pristine);
});
after(() => removeFaultMount(mount));

function createTrialSite(name: string): FaultSite {
  const site = createFaultSite(mount, name);
  writeFileSync(site.exclude, EXCLUDE_ETC);
  createTreeCopy(pristine, site.guest);
  return site;
}

/** Runs to the end and returns what the guest and the store look like then. */
async function runToEnd(site: FaultSite, options: string[], last?: TreeSnapshot): Promise<{ guest: TreeSnapshot; store: ReturnType<typeof readStore>; ms: number }> {
  const result = await runProduct(formatManualArgs(site, site.guest, options), { cacheDir: site.cache });
  assert.equal(result.code, 0, `the completing run exits 0: ${result.stderr.toString()}`);
  assert.equal(result.stderr.toString(), '', 'the completing run prints no error');
  return { guest: readTreeSnapshot(site.guest, last), store: readStore(site.root), ms: result.ms };
}

/**
 * Mostly uniform over the length of an uninterrupted run (at most MAX_DELAY_MS), with a share of
 * very early kills (start-up, configuration, first files).
 */
function pickDelay(random: () => number, runMs: number): number {
  if (random() < 0.2) return Math.round(MIN_DELAY_MS * (200 / MIN_DELAY_MS) ** random());
  return Math.round(MIN_DELAY_MS + random() * (Math.min(MAX_DELAY_MS, runMs) - MIN_DELAY_MS));
}

async function checkMode(t: TestContext, mode: 'copy' | 'sledgehammer'): Promise<void> {
  const options = mode === 'sledgehammer' ? ['--sledgehammer'] : [];
  const reference = createTrialSite(`${mode}-reference`);
  const ref = await runToEnd(reference, options);
  const refGroups = computeSharingGroups(ref.guest);
  const refLinks = computeEntryLinks(ref.guest, ref.store);
  const refNames = ref.store.entries.map((e) => e.name);
  t.diagnostic(`${mode}: uninterrupted reference run of ${ref.ms} ms: ${refNames.length} store entries, ${refGroups.length} sharing groups, ${refLinks.length} guest links`);
  assert.ok(refLinks.length > 1000, 'the reference run really linked the guest');

  const random = createRandom(SEED + (mode === 'copy' ? 1 : 2));
  const totals: LeftoverCounts & { killed: number; finished: number } = { guestTemps: 0, storeTemps: 0, placeholders: 0, killed: 0, finished: 0 };
  for (const [g, kills] of GROUPS.entries()) {
    const site = createTrialSite(`${mode}-${g}`);
    let last = readTreeSnapshot(site.guest);
    for (let k = 0; k < kills; k += 1) {
      const delay = pickDelay(random, ref.ms);
      const run = startProduct(formatManualArgs(site, site.guest, options), { cacheDir: site.cache });
      const timer = setTimeout(() => run.child.kill('SIGKILL'), delay);
      const result = await run.done;
      clearTimeout(timer);
      const wasKilled = result.signal === 'SIGKILL';
      if (wasKilled) totals.killed += 1;
      else totals.finished += 1;
      const guest = readTreeSnapshot(site.guest, last);
      last = guest;
      const store = readStore(site.root);
      const left = computeLeftoverCounts(pristineSnapshot, guest, store);
      totals.guestTemps += left.guestTemps;
      totals.storeTemps += left.storeTemps;
      totals.placeholders += left.placeholders;
      t.diagnostic(`${mode} group ${g} kill ${k}: SIGKILL after ${delay} ms -> ${wasKilled ? 'killed' : `had finished (exit ${result.code})`}; ` +
        `left ${left.guestTemps} guest temporaries, ${left.storeTemps} store temporaries, ${left.placeholders} placeholders`);
      assert.deepEqual(findCrashDamage(pristineSnapshot, guest, store), [], `${mode} group ${g} kill ${k}: every guest path keeps content and metadata`);
    }
    const end = await runToEnd(site, options, last);
    assert.deepEqual(findLostPaths(pristineSnapshot, end.guest), [], `${mode} group ${g}: nothing lost after the completing run`);
    // SWEEP (lead's leftover sweep): after the completing run no `name;XXXXXX` remains in the guest.
    assert.deepEqual(findTempPaths(end.guest), [], `SWEEP: ${mode} group ${g}: guest temporaries are removed by the next run`);
    assert.deepEqual(findStoreProblems(end.store, site.method), [], `${mode} group ${g}: the store is consistent (no temporaries, no placeholders)`);
    assert.deepEqual(end.store.entries.map((e) => e.name), refNames, `${mode} group ${g}: same store entry names as the uninterrupted run`);
    assert.deepEqual(computeSharingGroups(end.guest), refGroups, `${mode} group ${g}: same sharing as the uninterrupted run`);
    assert.deepEqual(computeEntryLinks(end.guest, end.store), refLinks, `${mode} group ${g}: every guest path links to the same entry name`);
    assert.equal(end.guest.size, ref.guest.size, `${mode} group ${g}: same number of guest paths`);
    t.diagnostic(`${mode} group ${g}: after ${kills} kill(s) a completing run gave the reference state (${end.store.entries.length} entries)`);
    rmSync(site.dir, { recursive: true, force: true });
  }
  t.diagnostic(`${mode}: ${totals.killed} runs killed mid-run, ${totals.finished} finished before the kill; leftovers seen: ` +
    `${totals.guestTemps} guest temporaries, ${totals.storeTemps} store temporaries, ${totals.placeholders} placeholders`);
  assert.ok(totals.killed >= GROUPS.reduce((a, b) => a + b) / 2, 'most kills landed while the run was still going');
}

test('kill -9 at random moments in copy mode loses nothing, and the next run reaches the state of an uninterrupted run', async (t) => {
  await checkMode(t, 'copy');
});

test('kill -9 at random moments in sledgehammer mode loses nothing, and the next run reaches the state of an uninterrupted run', async (t) => {
  await checkMode(t, 'sledgehammer');
});
