// Issue 4.1: a guest that keeps swapping its directories and files for symlinks into a canary tree
// while hashify runs; the canary stays bit-for-bit unchanged and nothing of it reaches the store.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { startScript } from './child-script.js';
import { findUnexpectedLines, parseOutputLines, formatLineSummary } from './stderr-lines.js';
import { createTreeCopy, createFaultMount, createFaultSite, removeFaultMount } from './fault-site.js';
import { formatManualArgs, hasStrace, startProduct } from './spawn-product.js';
import { findStoreProblems, readStore } from './store-audit.js';
import type { SymlinkAttack, SymlinkAttackReport } from './symlink-adversary.js';
import { createContent, createSyntheticGuest, EXCLUDE_ETC, type GuestLayout } from './synthetic-guest.js';
import { findLostPaths, findNewPaths, readTreeSnapshot, type TreeSnapshot } from './tree-snapshot.js';
import { writeFileWithMeta } from '../unify/file-fixture.js';

/** Rounds per mode; the last ones run in slow motion (see SLOW_MOTION). */
const ROUNDS = 4;
const SLOW_ROUNDS = 2;
/**
 * strace holds every lstat (statx) for 400 µs before returning it, so each window that opens with
 * an lstat (lstat → open of a directory, lstat → hashing, check → rename) is wide enough for the
 * adversary to land in it often; at full speed those windows are a few microseconds.
 */
const SLOW_MOTION = ['strace', '-f', '-qq', '-o', '/dev/null', '-e', 'trace=statx', '-e', 'inject=statx:delay_exit=400'];
const ADVERSARY_URL = new URL('./symlink-adversary.js', import.meta.url).href;
/** Lines the run may print while being raced; anything else on stderr is a finding. */
const EXPECTED_STDERR = [
  /^safeChdir\(\): Invalid argument$/,
  /^chdir\(\): (Too many levels of symbolic links|No such file or directory|Not a directory)$/,
  // A file swapped away between its hashing and its copy or link: upstream's per-file messages.
  /^(open|link|rename)\(\): (Too many levels of symbolic links|No such file or directory)$/,
  /^vhashify: could not enter '.*'; it was skipped and the run ends with status 1$/,
  /^vhashify: '.*' changed while it was being hashified; it was left alone$/,
  /^Failed to open '.*': (Too many levels of symbolic links|No such file or directory)$/,
  /^An unexpected event occured while stating '.*'\.$/,
  /^Failed to calculate hash for '.*'\.$/,
];

let mount = '';
let pristine = '';
let canary = '';
let layout: GuestLayout;
let pristineSnapshot: TreeSnapshot;
let canarySnapshot: TreeSnapshot;

before(() => {
  process.umask(0o022);
  mount = createFaultMount('symlink', '512m');
  pristine = join(mount, 'pristine');
  canary = join(mount, 'canary');
  mkdirSync(pristine);
  layout = createSyntheticGuest(pristine, { seed: 4101, files: 1500, dirs: 60, largeFiles: 3, largeSize: 4 << 20 });
  // The canary mirrors the guest, names, sizes and attributes included, with content found nowhere else.
  for (const dir of layout.dirs) mkdirSync(join(canary, dir), { recursive: true });
  for (const file of layout.files) {
    const st = lstatSync(join(pristine, file));
    const size = Math.max(16, st.size);
    writeFileWithMeta(join(canary, file), createContent(`CANARY:${file}`, size), { uid: st.uid, gid: st.gid, mode: st.mode & 0o7777, mtime: st.mtime });
  }
  pristineSnapshot = readTreeSnapshot(pristine);
  canarySnapshot = readTreeSnapshot(canary);
});
after(() => removeFaultMount(mount));

/** A hot set the adversary works on: some directories and files, none below another (see the adversary). */
function pickTargets(): string[] {
  const dirs: string[] = [];
  const isBelow = (path: string, dir: string): boolean => path.startsWith(`${dir}/`);
  layout.dirs.forEach((d, i) => {
    if (d !== 'etc' && i % 4 === 1 && !dirs.some((k) => isBelow(d, k) || isBelow(k, d))) dirs.push(d);
  });
  const files = layout.candidates.filter((f, i) => i % 8 === 0 && !dirs.some((k) => isBelow(f, k)));
  return [...dirs, ...files];
}

function findCanaryTraces(store: ReturnType<typeof readStore>, guest: TreeSnapshot): string[] {
  const inodes = new Set([...canarySnapshot.values()].map((i) => `${i.dev}:${i.ino}`));
  const contents = new Set([...canarySnapshot.values()].filter((i) => i.type === 'file').map((i) => i.content));
  const traces: string[] = [];
  for (const e of store.entries) {
    if (inodes.has(`${e.stat.dev}:${e.stat.ino}`)) traces.push(`store entry ${e.name} is a canary inode`);
    if (contents.has(createHash('sha256').update(readFileSync(e.path)).digest('hex'))) traces.push(`store entry ${e.name} holds canary content`);
  }
  for (const [path, info] of guest) {
    if (info.type !== 'dir' && inodes.has(`${info.dev}:${info.ino}`)) traces.push(`guest path ${path} is a canary inode`);
    if (info.type === 'file' && contents.has(info.content)) traces.push(`guest path ${path} holds canary content`);
  }
  return traces;
}

async function raceMode(t: TestContext, mode: 'copy' | 'sledgehammer'): Promise<void> {
  let totalSwaps = 0;
  const targets = pickTargets();
  const slowRounds = hasStrace() ? SLOW_ROUNDS : 0;
  if (slowRounds === 0) t.diagnostic('strace(1) is not installed: no slow-motion rounds, the narrow windows are rarely hit');
  t.diagnostic(`${mode}: the adversary swaps ${Math.ceil(targets.length / 3)} of ${targets.length} directories and files at a time`);
  for (let round = 0; round < ROUNDS; round += 1) {
    const site = createFaultSite(mount, `${mode}-${round}`);
    writeFileSync(site.exclude, EXCLUDE_ETC);
    createTreeCopy(pristine, site.guest);
    const attack: SymlinkAttack = {
      guest: site.guest, canary, targets, batch: Math.ceil(targets.length / 3), seed: 7000 + round + (mode === 'copy' ? 0 : 100),
      stopFile: join(site.dir, 'stop'), maxIterations: 400_000, maxMs: 40_000,
    };
    const adversary = startScript<SymlinkAttack, SymlinkAttackReport>(ADVERSARY_URL, 'runSymlinkAdversary', attack);
    const slow = round >= ROUNDS - slowRounds;
    const run = startProduct(formatManualArgs(site, site.guest, mode === 'sledgehammer' ? ['--sledgehammer', '-vv'] : ['-vv']), { cacheDir: site.cache },
      slow ? SLOW_MOTION : []);
    const result = await run.done;
    const report = await adversary.stop();
    totalSwaps += report.swaps;
    const stderrLines = parseOutputLines(result.stderr);
    const unifying = (result.stdout.toString('latin1').match(/^unifying {3}'/gm) ?? []).length;
    t.diagnostic(`${mode} round ${round}${slow ? ' (slow motion)' : ''}: ${report.swaps} symlink swaps (${report.failed} missed) during a run of ${result.ms} ms; ` +
      `exit ${result.code}, ${unifying} files unified; stderr: ${formatLineSummary(stderrLines)}`);
    assert.ok(result.code === 0 || result.code === 1, `exit status 0, or 1 for directories that were swapped: ${result.code}`);
    assert.deepEqual(findUnexpectedLines(stderrLines, EXPECTED_STDERR), [], 'stderr holds only the expected kinds of lines');
    assert.ok(unifying > 100, 'the run got real work done while being raced');

    const now = readTreeSnapshot(canary, canarySnapshot);
    assert.deepEqual([...now.entries()], [...canarySnapshot.entries()], 'the canary is bit-for-bit unchanged (content, inode, links, mtime, ctime)');
    const guest = readTreeSnapshot(site.guest);
    const store = readStore(site.root);
    assert.deepEqual(findCanaryTraces(store, guest), [], 'no canary inode or content in the store or the guest');
    assert.deepEqual(findLostPaths(pristineSnapshot, guest), [], 'every guest path keeps its content and metadata');
    assert.deepEqual(findNewPaths(pristineSnapshot, guest), [], 'no new names in the guest');
    assert.deepEqual(findStoreProblems(store, site.method), [], 'every store entry matches its name');
    t.diagnostic(`${mode} round ${round}: canary unchanged (${now.size} paths), no canary trace in ${store.entries.length} entries`);
    rmSync(site.dir, { recursive: true, force: true });
  }
  assert.ok(totalSwaps >= 2000, `thousands of swaps while the runs went on (${totalSwaps})`);
}

test('symlink swaps racing a copy-mode run never touch the canary tree or bring it into the store', async (t) => {
  await raceMode(t, 'copy');
});

test('symlink swaps racing a sledgehammer run never touch the canary tree or bring it into the store', async (t) => {
  await raceMode(t, 'sledgehammer');
});
