// Issue 4.2, deterministic half: each state a kill can leave (placeholder, copy temporary, guest
// temporary, entry not yet linked) is built by hand; the next run must reach an uninterrupted run's state.
import assert from 'node:assert/strict';
import { chmodSync, linkSync, mkdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { createTreeCopy, createFaultMount, createFaultSite, removeFaultMount, type FaultSite } from './fault-site.js';
import { computeEntryLinks, findTempPaths } from './guest-checks.js';
import { formatManualArgs, runProduct } from './spawn-product.js';
import { findStoreProblems, computeFileDigest, readStore } from './store-audit.js';
import { createContent } from './synthetic-guest.js';
import { computeSharingGroups, findLostPaths, readTreeSnapshot, type TreeSnapshot } from './tree-snapshot.js';
import { writeFileWithMeta } from '../unify/file-fixture.js';

const META = { uid: 1000, gid: 1000, mode: 0o644, mtime: new Date(1_600_000_000_000) };
/** A name so long that its temporary carries only its first 248 bytes. */
const LONG_NAME = 'L'.repeat(252);
/** Guest files named like temporaries that are the guest's own: no run may remove them. */
const OWN_TEMP_LIKE = ['notes;ABC123', 'lone;Zz9Zz9'];

let mount = '';
let pristine = '';
let pristineSnapshot: TreeSnapshot;
const references = new Map<string, { guest: TreeSnapshot; names: string[]; links: Array<[string, string]> }>();

before(async () => {
  process.umask(0o022);
  mount = createFaultMount('leftovers', '256m');
  pristine = join(mount, 'pristine');
  mkdirSync(join(pristine, 'd'), { recursive: true });
  const x = createContent('leftover-x', 3 << 20);
  for (const p of ['a', 'b', 'd/e', `d/${LONG_NAME}`]) writeFileWithMeta(join(pristine, p), x, META);
  writeFileWithMeta(join(pristine, 'c'), createContent('leftover-y', 5000), META);
  writeFileWithMeta(join(pristine, 'notes'), createContent('leftover-notes', 300), META);
  writeFileWithMeta(join(pristine, 'notes;ABC123'), createContent('leftover-notes-own', 300), META);
  writeFileWithMeta(join(pristine, 'lone;Zz9Zz9'), createContent('leftover-lone', 300), META);
  pristineSnapshot = readTreeSnapshot(pristine);
  for (const mode of ['copy', 'sledgehammer']) {
    const site = createSite(`reference-${mode}`);
    await runClean(site, mode);
    const guest = readTreeSnapshot(site.guest);
    const store = readStore(site.root);
    references.set(mode, { guest, names: store.entries.map((e) => e.name), links: computeEntryLinks(guest, store) });
  }
});
after(() => removeFaultMount(mount));

function createSite(name: string): FaultSite {
  const site = createFaultSite(mount, name);
  createTreeCopy(pristine, site.guest);
  return site;
}

async function runClean(site: FaultSite, mode: string): Promise<void> {
  const result = await runProduct(formatManualArgs(site, site.guest, mode === 'sledgehammer' ? ['--sledgehammer'] : []), { cacheDir: site.cache });
  assert.equal(result.code, 0, result.stderr.toString());
  assert.equal(result.stderr.toString(), '');
}

/** The entry path file `a` of the guest maps to, its directories created. */
function claimEntryPath(site: FaultSite): string {
  const digest = computeFileDigest(join(site.guest, 'a'), site.method);
  const entry = `${site.root}${digest.slice(0, 2)}/${digest.slice(2, 4)}/${digest.slice(4)}-00000000`;
  mkdirSync(dirname(entry), { recursive: true, mode: 0o700 });
  return entry;
}

function writePlaceholder(path: string): void {
  writeFileSync(path, '', { mode: 0o200 });
  chmodSync(path, 0o200);
  // Claimed by a run that died a minute ago.
  utimesSync(path, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
}

function writeFullCopy(site: FaultSite, entry: string): void {
  writeFileWithMeta(entry, readFileSync(join(site.guest, 'a')), META);
}

/** What a kill can leave, by the step it interrupted; `mode` is the mode of the run that died. */
const STATES: Array<{ name: string; mode: 'copy' | 'sledgehammer'; make(site: FaultSite, entry: string): void }> = [
  { name: 'an empty placeholder (died after claiming the slot)', mode: 'copy', make: (_s, e) => writePlaceholder(e) },
  {
    name: 'a placeholder and a half-written copy temporary (died while copying)',
    mode: 'copy',
    make: (s, e) => {
      writePlaceholder(e);
      writeFileSync(`${e};Tmp001`, readFileSync(join(s.guest, 'a')).subarray(0, 1 << 20), { mode: 0o200 });
    },
  },
  { name: 'a complete entry no guest file links to yet (died before the replace)', mode: 'copy', make: (s, e) => writeFullCopy(s, e) },
  {
    name: 'a guest temporary linked to the entry beside the untouched original (died between link and rename)',
    mode: 'copy',
    make: (s, e) => {
      writeFullCopy(s, e);
      linkSync(e, join(s.guest, 'a;Lk1234'));
    },
  },
  {
    name: 'one file replaced and a guest temporary beside the next one (died between link and rename)',
    mode: 'copy',
    make: (s, e) => {
      writeFullCopy(s, e);
      linkSync(e, join(s.guest, 'a;Rn0001'));
      renameSync(join(s.guest, 'a;Rn0001'), join(s.guest, 'a'));
      linkSync(e, join(s.guest, 'd', 'e;Lk5678'));
    },
  },
  {
    name: 'a guest temporary of a 252-byte name, cut to fit NAME_MAX (died between link and rename)',
    mode: 'copy',
    make: (s, e) => {
      writeFullCopy(s, e);
      linkSync(e, join(s.guest, 'd', `${LONG_NAME.slice(0, 248)};Cut001`));
    },
  },
  {
    name: 'a placeholder and a store temporary linked to the guest inode (sledgehammer died between link and rename)',
    mode: 'sledgehammer',
    make: (s, e) => {
      writePlaceholder(e);
      linkSync(join(s.guest, 'a'), `${e};Sl1234`);
    },
  },
  { name: 'the guest inode as entry, its twins not yet linked (sledgehammer)', mode: 'sledgehammer', make: (s, e) => linkSync(join(s.guest, 'a'), e) },
];

for (const state of STATES) {
  test(`a run after a kill that left ${state.name} reaches the uninterrupted state and keeps the guest's own ;XXXXXX names`, async (t) => {
    const site = createSite(`state-${STATES.indexOf(state)}`);
    const entry = claimEntryPath(site);
    state.make(site, entry);
    t.diagnostic(`built the leftover state around ${entry.slice(site.root.length)}; running in ${state.mode} mode twice`);
    const ref = references.get(state.mode)!;
    for (const round of [1, 2]) {
      await runClean(site, state.mode);
      const guest = readTreeSnapshot(site.guest);
      const store = readStore(site.root);
      assert.deepEqual(findLostPaths(pristineSnapshot, guest), [], `round ${round}: nothing lost, the guest's own ;XXXXXX files included`);
      // SWEEP (lead's leftover sweep): our temporaries are gone, the guest's own temp-like names stay.
      assert.deepEqual(findTempPaths(guest).sort(), [...OWN_TEMP_LIKE].sort(), `SWEEP: round ${round}: only the guest's own ;XXXXXX names remain`);
      assert.deepEqual(findStoreProblems(store, site.method), [], `round ${round}: no placeholder, no temporary, every entry matches its name`);
      assert.deepEqual(store.entries.map((e) => e.name), ref.names, `round ${round}: the store entries of an uninterrupted run`);
      assert.deepEqual(computeSharingGroups(guest), computeSharingGroups(ref.guest), `round ${round}: the sharing of an uninterrupted run`);
      assert.deepEqual(computeEntryLinks(guest, store), ref.links, `round ${round}: each guest path links to the same entry`);
      t.diagnostic(`round ${round}: state equals the uninterrupted run (${store.entries.length} entries), own temp-like names kept`);
    }
  });
}
