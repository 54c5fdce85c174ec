// --gc on sandbox guests: exactly the orphaned entries and the leftovers go, nothing a guest uses,
// also while a hashify run competes for the store.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { hasStrace, startProduct, waitFor, type ProductRun } from '../faults/spawn-product.js';
import { listTree, writeFileWithMeta } from '../unify/file-fixture.js';
import { createAdminSandbox, listEntries, listFiles, writeGuestTree, type AdminSandbox } from './admin-fixture.js';

process.umask(0o022);

/** Two guests hashified into one store; then g2 loses two files of its own, whose entries are orphaned. */
async function createSite(protect: 'none' | 'immutable' = 'none'): Promise<{ s: AdminSandbox; orphans: string[] }> {
  const s = createAdminSandbox(['g1', 'g2'], protect);
  try {
    return await fillSite(s, protect);
  } catch (error) {
    s.destroy(); // a setup that failed leaves nothing behind
    throw error;
  }
}

async function fillSite(s: AdminSandbox, protect: 'none' | 'immutable'): Promise<{ s: AdminSandbox; orphans: string[] }> {
  writeGuestTree(s.guest('g1'), 'g1');
  writeGuestTree(s.guest('g2'), 'g2');
  writeFileSync(join(s.guest('g2'), 'etc/second.conf'), 'another file of g2 alone, long enough\n');
  const run = await s.run(['--all']);
  assert.equal(run.code, 0, run.stderr);
  const byIno = new Map([...listEntries(s.store)].map(([name, st]) => [st.ino, name]));
  const orphans = ['etc/own.conf', 'etc/second.conf'].map((rel) => byIno.get(listFiles(s.guest('g2')).get(rel)!.ino)!).sort();
  for (const rel of ['etc/own.conf', 'etc/second.conf']) {
    // Under immutable the guest cannot unlink a shared file: the admin lifts the flag, as for a package upgrade.
    const path = join(s.guest('g2'), rel);
    if (protect === 'immutable') spawnSync('chattr', ['-i', path]);
    unlinkSync(path);
  }
  if (protect === 'immutable') for (const orphan of orphans) spawnSync('chattr', ['+i', join(s.store, orphan)]);
  return { s, orphans };
}

/** Entries with link count 1, counted independently. */
function findOrphans(store: string): string[] {
  return [...listEntries(store)].filter(([, st]) => st.nlink === 1n).map(([name]) => name).sort();
}

/** Every inode the guests' files are, and whether each is still a store entry. */
function findGuestInodesOutsideStore(s: AdminSandbox, guests: readonly string[]): string[] {
  const entryInodes = new Set([...listEntries(s.store).values()].map((st) => st.ino));
  const missing: string[] = [];
  for (const g of guests) {
    for (const [rel, st] of listFiles(s.guest(g))) {
      if (st.size >= 16n && !rel.startsWith('var/cache/') && !entryInodes.has(st.ino)) missing.push(`${g}/${rel}`);
    }
  }
  return missing;
}

test('-n lists exactly the orphaned entries, placeholders, temporaries and emptied directories, and changes nothing', async () => {
  const { s, orphans } = await createSite();
  try {
    const leaf = dirname(join(s.store, orphans[0]!));
    writeFileWithMeta(join(leaf, 'abcdef-00000000'), '', { uid: 0, gid: 0, mode: 0o200, mtime: new Date(1_000_000_000_000) });
    writeFileSync(join(leaf, 'abcdef-00000000;Qw3rT1'), 'a copy temporary a crashed run left\n');
    mkdirSync(join(s.store, '.vhashify-tmp'));
    writeFileSync(join(s.store, '.vhashify-tmp', 'copy;ZzZz99'), 'another one\n');
    const before = listTree(s.store);
    const result = await s.run(['--gc', '-n', 'g1']);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    const lines = result.stdout.split('\n').filter((l) => l !== '');
    const listed = lines.slice(0, -1).map((l) => /^ {2}would remove '(.*)' \((.*)\)$/.exec(l)).map((m) => `${m![2]}: ${m![1]!.slice(`${s.hashDir}/root/`.length)}`);
    assert.deepEqual(listed.filter((l) => !l.startsWith('empty directory')).sort(), [
      `orphaned entry: ${orphans[0]}`, `orphaned entry: ${orphans[1]}`,
      `placeholder: ${join(dirname(orphans[0]!), 'abcdef-00000000')}`,
      `temporary: ${join(dirname(orphans[0]!), 'abcdef-00000000;Qw3rT1')}`,
      'temporary: .vhashify-tmp/copy;ZzZz99',
    ].sort());
    assert.ok(listed.includes('empty directory: .vhashify-tmp'));
    assert.match(lines[lines.length - 1]!, new RegExp(`^gc '${s.hashDir}': would remove 2 orphaned entries, 1 placeholder, 2 temporaries and \\d+ empty director(y|ies), freeing `));
    assert.deepEqual(listTree(s.store), before, 'nothing changed');
  } finally {
    s.destroy();
  }
});

test('gc removes exactly the orphaned entries and leftovers; every file a guest uses stays linked, the guests unchanged', async () => {
  const { s, orphans } = await createSite();
  try {
    assert.deepEqual(findOrphans(s.store), orphans);
    writeFileSync(join(s.store, 'README'), 'the admin keeps notes here\n');
    const entriesBefore = [...listEntries(s.store).keys()].sort();
    const guestsBefore = [listTree(s.guest('g1')), listTree(s.guest('g2'))];
    const result = await s.run(['--all', '--gc', '-v']);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    for (const orphan of orphans) assert.ok(result.stdout.includes(`  removed '${s.hashDir}/root/${orphan}' (orphaned entry)\n`));
    assert.ok(result.stdout.includes(`  left alone '${s.hashDir}/root/README' (not made by vhashify)\n`));
    assert.deepEqual([...listEntries(s.store).keys()].sort(), entriesBefore.filter((e) => !orphans.includes(e)));
    assert.deepEqual(findOrphans(s.store), []);
    assert.deepEqual(findGuestInodesOutsideStore(s, ['g1', 'g2']), []);
    assert.deepEqual([listTree(s.guest('g1')), listTree(s.guest('g2'))], guestsBefore);
    for (const orphan of orphans) {
      const leaf = dirname(join(s.store, orphan));
      assert.ok(!existsSync(leaf) || listTree(leaf).length > 0, 'no empty fan-out directory is left');
    }
    assert.equal(readFileSync(join(s.store, 'README'), 'utf8'), 'the admin keeps notes here\n');
    const again = await s.run(['--all', '--gc']);
    assert.equal(again.stdout, `gc '${s.hashDir}': removed 0 orphaned entries, 0 placeholders, 0 temporaries and 0 empty directories, freeing 0 B\n`);
  } finally {
    s.destroy();
  }
});

test('under immutable, an orphaned entry loses its flag to be removed; entries in use keep theirs', async () => {
  const { s, orphans } = await createSite('immutable');
  try {
    const lsattr = (name: string) => spawnSync('lsattr', ['-d', join(s.store, name)], { encoding: 'utf8' }).stdout.split(' ')[0]!;
    for (const orphan of orphans) assert.ok(lsattr(orphan).includes('i'));
    const result = await s.run(['--gc', 'g2']);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    for (const orphan of orphans) assert.equal(existsSync(join(s.store, orphan)), false);
    for (const name of listEntries(s.store).keys()) assert.ok(lsattr(name).includes('i'), `${name} keeps its flag`);
    assert.deepEqual(findGuestInodesOutsideStore(s, ['g1', 'g2']), []);
  } finally {
    s.destroy();
  }
});

/** Starts the product under strace, stopped (SIGSTOP) right after its first flock(2): it holds the store lock. */
async function startStoppedInsideLock(s: AdminSandbox, args: string[], log: string): Promise<{ run: ProductRun; resume(): void }> {
  const run = startProduct(args, { cacheDir: s.cache, extra: s.env }, ['strace', '-f', '-qq', '-o', log, '-e', 'trace=flock', '-e', 'inject=flock:signal=SIGSTOP:when=1']);
  const stopped = (): RegExpMatchArray | null => (existsSync(log) ? /^(\d+) +--- stopped by SIGSTOP ---$/m.exec(readFileSync(log, 'utf8')) : null);
  assert.ok(await waitFor(() => stopped() !== null, 60_000), 'stopped inside the lock');
  const pid = Number(stopped()![1]);
  assert.match(readFileSync(log, 'utf8'), new RegExp(`^${pid} +flock\\(\\d+, LOCK_EX(\\|LOCK_NB)?\\) += 0$`, 'm'), 'after a flock that succeeded');
  return { run, resume: () => process.kill(pid, 'SIGCONT') };
}

function waitingLine(s: AdminSandbox): string {
  return `vhashify: another run holds '${s.hashDir}'; waiting for it to finish\n`;
}

test('gc waits for a hashify run that holds the store, and then keeps the entry that run linked', { skip: !hasStrace() && 'strace is not installed' }, async () => {
  const { s, orphans } = await createSite();
  try {
    // g1 gets a file with the content of an orphaned entry: its run will link it to that entry.
    const orphanContent = readFileSync(join(s.store, orphans[0]!));
    const orphanStat = listEntries(s.store).get(orphans[0]!)!;
    writeFileWithMeta(join(s.guest('g1'), 'etc/adopted.conf'), orphanContent, { uid: 0, gid: 0, mode: 0o644, mtime: new Date(Number(orphanStat.mtimeMs)) });
    const hashify = await startStoppedInsideLock(s, ['g1'], join(s.top, 'hashify.strace'));
    const gc = startProduct(['--gc', 'g1'], { cacheDir: s.cache, extra: s.env });
    try {
      assert.ok(await waitFor(() => gc.stderrSoFar().toString() === waitingLine(s), 60_000), 'gc says it waits');
      assert.deepEqual(findOrphans(s.store), orphans, 'nothing removed while the run holds the store');
    } finally {
      hashify.resume();
    }
    const [h, g] = await Promise.all([hashify.run.done, gc.done]);
    assert.equal(h.code, 0, h.stderr.toString());
    assert.equal(g.code, 0, g.stderr.toString());
    assert.equal(g.stderr.toString(), waitingLine(s));
    assert.equal(existsSync(join(s.store, orphans[0]!)), true, 'the entry the run linked stays');
    assert.equal(existsSync(join(s.store, orphans[1]!)), false, 'the one still orphaned goes');
    assert.match(g.stdout.toString(), /removed 1 orphaned entry,/);
    assert.deepEqual(findOrphans(s.store), []);
    assert.deepEqual(findGuestInodesOutsideStore(s, ['g1', 'g2']), []);
  } finally {
    s.destroy();
  }
});

test('a hashify run that starts while gc holds the store waits, and links what it finds afterwards', { skip: !hasStrace() && 'strace is not installed' }, async () => {
  const { s, orphans } = await createSite();
  try {
    const orphanContent = readFileSync(join(s.store, orphans[0]!));
    const orphanStat = listEntries(s.store).get(orphans[0]!)!;
    writeFileWithMeta(join(s.guest('g1'), 'etc/adopted.conf'), orphanContent, { uid: 0, gid: 0, mode: 0o644, mtime: new Date(Number(orphanStat.mtimeMs)) });
    const gc = await startStoppedInsideLock(s, ['--gc', 'g1'], join(s.top, 'gc.strace'));
    const hashify = startProduct(['g1'], { cacheDir: s.cache, extra: s.env });
    try {
      assert.ok(await waitFor(() => hashify.stderrSoFar().toString() === waitingLine(s), 60_000), 'the run says it waits');
    } finally {
      gc.resume();
    }
    const [g, h] = await Promise.all([gc.run.done, hashify.done]);
    assert.equal(g.code, 0, g.stderr.toString());
    assert.equal(h.code, 0, h.stderr.toString());
    assert.match(g.stdout.toString(), /removed 2 orphaned entries,/, 'both were orphaned when gc held the store');
    assert.deepEqual(findOrphans(s.store), []);
    assert.deepEqual(findGuestInodesOutsideStore(s, ['g1', 'g2']), [], 'the run made a new entry for the adopted file');
    assert.equal(readFileSync(join(s.guest('g1'), 'etc/adopted.conf')).equals(orphanContent), true);
  } finally {
    s.destroy();
  }
});

test('manual mode collects the store given by --destination, and takes no path', async () => {
  const { s, orphans } = await createSite();
  try {
    const refused = await s.run(['--manually', '--destination', s.hashDir, '--gc', s.guest('g1')]);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, "vhashify: '--gc' takes no path in manual mode: it works on the hash directory alone\n");
    const result = await s.run(['--manually', '--destination', s.hashDir, '--gc', '--json']);
    assert.equal(result.code, 0);
    const doc = JSON.parse(result.stdout) as { report: string; stores: Array<{ removed: Array<{ kind: string; path: string }> }> };
    assert.equal(doc.report, 'gc');
    const removed = doc.stores[0]!.removed.filter((r) => r.kind === 'orphaned entry').map((r) => r.path).sort();
    assert.deepEqual(removed, orphans.map((o) => `${s.hashDir}/root/${o}`));
  } finally {
    s.destroy();
  }
});
