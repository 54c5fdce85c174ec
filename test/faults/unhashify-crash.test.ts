// --unhashify killed (SIGKILL, injected by strace on entering the Nth call) at every step that
// changes the guest or the store: every guest path keeps its content and attributes (shared or
// private, never missing), and the next run completes: nothing shared, nothing left over, every
// entry other guests share still flagged.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeFileWithMeta } from '../unify/file-fixture.js';
import { createFaultMount, createFaultSite, removeFaultMount, type FaultSite } from './fault-site.js';
import { formatManualArgs, hasStrace, runProduct } from './spawn-product.js';
import { createContent } from './synthetic-guest.js';

const META = { uid: 1000, gid: 100, mode: 0o640, mtime: new Date(1_600_000_000_000) };
/** The calls that change something, and how many of each to kill at (the first N). */
// (glibc's renameat2 with no flags is the renameat system call.)
const KILL_POINTS: Record<string, number> = { copy_file_range: 1, fchown: 1, syncfs: 1, linkat: 2, renameat: 2, unlinkat: 1 };

let mount = '';
before(() => {
  process.umask(0o022);
  mount = createFaultMount('unhashify', '128m');
});
after(() => removeFaultMount(mount));

/** Path → content digest and attributes, for every file below `dir` (names containing `;` left out). */
function describeFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const st = lstatSync(join(dir, path), { bigint: true });
      if (st.isDirectory()) walk(path);
      else if (!name.includes(';')) {
        const digest = createHash('sha256').update(readFileSync(join(dir, path))).digest('hex');
        files.set(path, `${digest} ${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.mtimeNs}`);
      }
    }
  };
  walk('');
  return files;
}

function inodesBelow(dir: string): Set<bigint> {
  const inodes = new Set<bigint>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(d, entry.name));
      else if (entry.isFile()) inodes.add(lstatSync(join(d, entry.name), { bigint: true }).ino);
    }
  };
  walk(dir);
  return inodes;
}

function listTempNames(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((p) => /;[A-Za-z0-9]{6}$/.test(p));
}

/** A guest and a second tree sharing part of it, both hashified under immutable. */
async function createHashifiedSite(name: string): Promise<FaultSite & { other: string }> {
  const site = { ...createFaultSite(mount, name), other: join(mount, name, 'other') };
  mkdirSync(join(site.guest, 'd'));
  mkdirSync(site.other);
  const x = createContent(`${name}-x`, 3000);
  for (const p of ['a', 'b', 'd/c']) writeFileWithMeta(join(site.guest, p), x, META);
  writeFileWithMeta(join(site.guest, 'e'), createContent(`${name}-e`, 5000), META);
  writeFileWithMeta(join(site.guest, 'big'), createContent(`${name}-big`, 1 << 20), META);
  writeFileWithMeta(join(site.other, 'a'), x, META);
  for (const tree of [site.guest, site.other]) {
    const run = await runProduct(formatManualArgs(site, tree, [], 'immutable'), { cacheDir: site.cache });
    assert.equal(run.code, 0, run.stderr.toString());
  }
  return site;
}

const unhashifyArgs = (site: FaultSite): string[] => ['--protect', 'immutable', '--manually', '--destination', site.hashDir, '--unhashify', site.guest];

test('an --unhashify killed at each step loses nothing, and the next run makes the guest private and leaves nothing behind', { skip: hasStrace() ? false : 'strace(1) is not installed' }, async (t) => {
  let kills = 0;
  for (const [call, limit] of Object.entries(KILL_POINTS)) {
    for (let n = 1; n <= limit; n += 1) {
      const site = await createHashifiedSite(`${call}-${n}`);
      const before = describeFiles(site.guest);
      const killed = await runProduct(unhashifyArgs(site), { cacheDir: site.cache },
        ['strace', '-f', '-qq', '-o', '/dev/null', '-e', `trace=${call}`, '-e', `inject=${call}:signal=SIGKILL:when=${n}`]);
      if (killed.code === 0) continue; // fewer such calls than n
      assert.ok(killed.signal === 'SIGKILL' || killed.code === 137, `${call} ${n}: killed (exit ${killed.code})`);
      kills += 1;
      assert.deepEqual(describeFiles(site.guest), before, `killed entering ${call} call ${n}: every path has its content and attributes`);
      const done = await runProduct(unhashifyArgs(site), { cacheDir: site.cache });
      assert.equal(done.code, 0, done.stderr.toString());
      assert.equal(done.stderr.toString(), '');
      assert.deepEqual(describeFiles(site.guest), before, `${call} ${n}: the next run keeps everything`);
      const store = inodesBelow(site.root);
      assert.deepEqual([...inodesBelow(site.guest)].filter((ino) => store.has(ino)), [], `${call} ${n}: nothing is shared any more`);
      assert.deepEqual(listTempNames(site.guest), [], `${call} ${n}: no temporary is left in the guest`);
      assert.ok(!existsSync(join(site.root, '.vhashify-tmp')), `${call} ${n}: no copy is left in the store`);
      const lsattr = (await import('node:child_process')).spawnSync('lsattr', ['-d', join(site.other, 'a')], { encoding: 'utf8' }).stdout;
      assert.match(lsattr, /^\S*i\S*\s/, `${call} ${n}: the entry the other tree shares is flagged`);
      t.diagnostic(`killed entering ${call} call ${n}: the next run completed it`);
    }
  }
  assert.ok(kills >= 7, `enough steps were interrupted (${kills})`);
});
