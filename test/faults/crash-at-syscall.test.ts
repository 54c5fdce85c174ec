// Issue 4.2, at every step: strace kills the run (SIGKILL) on entering the Nth call of each system
// call that changes something, so the microsecond windows a random kill almost never hits (between
// a link and its rename, say) are each hit once. Every kill must lose nothing; the next run must
// reach the state of an uninterrupted run.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { createTreeCopy, createFaultMount, createFaultSite, removeFaultMount, type FaultSite } from './fault-site.js';
import { computeReferenceState, computeLeftoverCounts, findCrashDamage, findReferenceDifferences, findTempPaths, type ReferenceState } from './guest-checks.js';
import { formatManualArgs, hasStrace, runProduct } from './spawn-product.js';
import { findStoreProblems, readStore } from './store-audit.js';
import { createContent } from './synthetic-guest.js';
import { findLostPaths, readTreeSnapshot, type TreeSnapshot } from './tree-snapshot.js';
import { writeFileWithMeta } from '../unify/file-fixture.js';

const META = { uid: 1000, gid: 1000, mode: 0o640, mtime: new Date(1_600_000_000_000) };
/**
 * The calls that change the guest or the store (the system-call layer's *at() calls, the in-kernel
 * copy, the sync that makes a new entry durable), and how many of each to kill at (the first N).
 * renameAt2 without flags reaches the kernel as renameat (glibc's choice), so that is the name here.
 */
const KILL_POINTS: Record<string, number> = {
  mkdirat: 4, ftruncate: 2, copy_file_range: 2, fchown: 1, fchmod: 1, utimensat: 2, syncfs: 2, renameat: 6, linkat: 6, unlinkat: 4,
};

let mount = '';
let pristine = '';
let pristineSnapshot: TreeSnapshot;
before(() => {
  process.umask(0o022);
  mount = createFaultMount('syscall', '256m');
  pristine = join(mount, 'pristine');
  mkdirSync(join(pristine, 'd'), { recursive: true });
  const x = createContent('syscall-x', 3000);
  for (const p of ['a', 'b', 'd/c']) writeFileWithMeta(join(pristine, p), x, META);
  writeFileWithMeta(join(pristine, 'e'), createContent('syscall-y', 5000), META);
  const z = createContent('syscall-z', 1 << 20);
  for (const p of ['big', 'd/big2']) writeFileWithMeta(join(pristine, p), z, META);
  writeFileWithMeta(join(pristine, 'tiny'), 'tiny\n', META);
  pristineSnapshot = readTreeSnapshot(pristine);
});
after(() => removeFaultMount(mount));

function createTrialSite(name: string): FaultSite {
  const site = createFaultSite(mount, name);
  createTreeCopy(pristine, site.guest);
  return site;
}

/** How often each call of KILL_POINTS happens in one uninterrupted run (by its busiest thread). */
async function countCalls(options: string[]): Promise<Record<string, number>> {
  const site = createTrialSite(`count-${options.join('')}`);
  const log = join(mount, `strace-${options.join('')}.log`);
  const result = await runProduct(formatManualArgs(site, site.guest, options), { cacheDir: site.cache },
    ['strace', '-f', '-qq', '-o', log, '-e', `trace=${Object.keys(KILL_POINTS).join(',')}`]);
  assert.equal(result.code, 0, result.stderr.toString());
  const perThread = new Map<string, number>();
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const m = /^(\d+) +([a-z0-9_]+)\(/.exec(line);
    if (m !== null) perThread.set(`${m[2]} ${m[1]}`, (perThread.get(`${m[2]} ${m[1]}`) ?? 0) + 1);
  }
  const counts: Record<string, number> = {};
  for (const [key, n] of perThread) {
    const call = key.split(' ')[0]!;
    counts[call] = Math.max(counts[call] ?? 0, n);
  }
  rmSync(site.dir, { recursive: true, force: true });
  return counts;
}

async function killAtEveryStep(t: TestContext, mode: 'copy' | 'sledgehammer'): Promise<void> {
  const options = mode === 'sledgehammer' ? ['--sledgehammer'] : [];
  const refSite = createTrialSite(`${mode}-reference`);
  assert.equal((await runProduct(formatManualArgs(refSite, refSite.guest, options), { cacheDir: refSite.cache })).code, 0);
  const ref: ReferenceState = computeReferenceState(readTreeSnapshot(refSite.guest), readStore(refSite.root));
  const counts = await countCalls(options);
  t.diagnostic(`${mode}: an uninterrupted run makes ${JSON.stringify(counts)}; reference: ${ref.names.length} entries`);
  let kills = 0;
  for (const [call, limit] of Object.entries(KILL_POINTS)) {
    for (let n = 1; n <= Math.min(limit, counts[call] ?? 0); n += 1) {
      const site = createTrialSite(`${mode}-${call}-${n}`);
      const killed = await runProduct(formatManualArgs(site, site.guest, options), { cacheDir: site.cache },
        ['strace', '-f', '-qq', '-o', '/dev/null', '-e', `trace=${call}`, '-e', `inject=${call}:signal=SIGKILL:when=${n}`]);
      assert.ok(killed.signal === 'SIGKILL' || killed.code === 137, `${call} call ${n}: the run was killed (exit ${killed.code})`);
      kills += 1;
      const guest = readTreeSnapshot(site.guest, pristineSnapshot);
      const store = readStore(site.root);
      const left = computeLeftoverCounts(pristineSnapshot, guest, store);
      assert.deepEqual(findCrashDamage(pristineSnapshot, guest, store), [], `${mode}, killed entering ${call} call ${n}: nothing lost`);
      const done = await runProduct(formatManualArgs(site, site.guest, options), { cacheDir: site.cache });
      assert.equal(done.code, 0);
      assert.equal(done.stderr.toString(), '', 'the next run completes quietly');
      const end = readTreeSnapshot(site.guest, guest);
      const endStore = readStore(site.root);
      assert.deepEqual(findLostPaths(pristineSnapshot, end), []);
      // SWEEP (lead's leftover sweep): no `name;XXXXXX` is left after the next run.
      assert.deepEqual(findTempPaths(end), [], `SWEEP: ${mode}, ${call} call ${n}: guest temporaries are gone after the next run`);
      assert.deepEqual(findStoreProblems(endStore, site.method), [], `${mode}, ${call} call ${n}: the store is consistent`);
      assert.deepEqual(findReferenceDifferences(end, endStore, ref), [], `${mode}, ${call} call ${n}: the state of an uninterrupted run`);
      t.diagnostic(`${mode}: killed entering ${call} call ${n}: left ${left.guestTemps} guest temporaries, ${left.storeTemps} store temporaries, ` +
        `${left.placeholders} placeholders, ${store.strays.length} other store names; the next run reached the reference`);
      rmSync(site.dir, { recursive: true, force: true });
    }
  }
  assert.ok(kills >= 10, `enough steps were interrupted (${kills})`);
}

const NO_STRACE = hasStrace() ? false : 'strace(1) is not installed: the kill points cannot be injected';

test('a copy-mode run killed on entering each mkdirat, copy step, syncfs, renameat, linkat and unlinkat loses nothing and the next run completes it', { skip: NO_STRACE }, async (t) => {
  await killAtEveryStep(t, 'copy');
});

test('a sledgehammer run killed on entering each mkdirat, renameat, linkat and unlinkat loses nothing and the next run completes it', { skip: NO_STRACE }, async (t) => {
  await killAtEveryStep(t, 'sledgehammer');
});
