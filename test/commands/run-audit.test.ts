// --audit on sandbox guests: a healthy store (named with and without --ignore-mtime) reports
// nothing; a shared file changed in place is found with the guest paths that link it, and --fix
// gives every guest its own copy of what it holds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, lstatSync, openSync, readFileSync, utimesSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { listTree } from '../unify/file-fixture.js';
import { createAdminSandbox, listEntries, writeGuestTree, type AdminSandbox } from './admin-fixture.js';

process.umask(0o022);

const TOOL = 'bin/tool1';

interface AuditJson {
  report: string;
  stores: Array<{
    entries: number;
    checked: number;
    matchingIgnoringMtime: number;
    damaged: Array<{ entry: string; linkedBy: Array<{ guest: string; path: string }>; otherLinks: number; fix?: { guests: string[]; removed: boolean; problems: string[] } }>;
    unreadable: unknown[];
  }>;
}

async function createSite(protect: 'none' | 'immutable' = 'none', runArgs: string[] = []): Promise<AdminSandbox> {
  const s = createAdminSandbox(['g1', 'g2'], protect);
  try {
    writeGuestTree(s.guest('g1'), 'g1');
    writeGuestTree(s.guest('g2'), 'g2');
    const run = await s.run([...runArgs, '--all']);
    assert.equal(run.code, 0, run.stderr);
    return s;
  } catch (error) {
    s.destroy(); // a setup that failed leaves nothing behind
    throw error;
  }
}

/** What `dd conv=notrunc` then `touch -d` does in a guest: other bytes, same size, the mtime put back. */
function changeInPlace(path: string): void {
  const before = lstatSync(path);
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.from('CHANGED'), 0, 7, 0);
  closeSync(fd);
  utimesSync(path, before.atime, before.mtime);
}

function entryOf(s: AdminSandbox, guest: string, rel: string): string {
  const ino = lstatSync(join(s.guest(guest), rel), { bigint: true }).ino;
  const found = [...listEntries(s.store)].find(([, st]) => st.ino === ino);
  assert.ok(found, `${guest}/${rel} is a store entry`);
  return found[0];
}

test('a healthy store reports nothing and exits 0', async () => {
  const s = await createSite();
  try {
    const result = await s.run(['--all', '--audit']);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    const n = listEntries(s.store).size;
    assert.equal(result.stdout, `audit '${s.hashDir}': ${n} of ${n} entries checked, 0 damaged\n`);
  } finally {
    s.destroy();
  }
});

test('a healthy store filled with --ignore-mtime, and one filled both ways, report nothing', async () => {
  const s = createAdminSandbox(['g1', 'g2'], 'none');
  try {
    writeGuestTree(s.guest('g1'), 'g1');
    writeGuestTree(s.guest('g2'), 'g2');
    // g2's copies differ from g1's in their mtimes only: one entry each under --ignore-mtime.
    spawnSync('find', [s.guest('g2'), '-type', 'f', '-exec', 'touch', '-m', '-d', '2020-02-02', '{}', '+']);
    assert.equal((await s.run(['--ignore-mtime', '--all'])).code, 0);
    const doc = JSON.parse((await s.run(['--json', '--all', '--audit'])).stdout) as AuditJson;
    assert.equal(doc.stores[0]!.damaged.length, 0);
    assert.equal(doc.stores[0]!.matchingIgnoringMtime, doc.stores[0]!.entries, 'every entry is named with the mtime zeroed');
    // Then a third guest hashified without --ignore-mtime: the store holds names of both kinds.
    s.addGuest('g3');
    writeGuestTree(s.guest('g3'), 'g3', 8);
    assert.equal((await s.run(['g3'])).code, 0);
    const mixed = await s.run(['--json', '--all', '--audit']);
    assert.equal(mixed.code, 0, mixed.stdout);
    const store = (JSON.parse(mixed.stdout) as AuditJson).stores[0]!;
    assert.equal(store.damaged.length, 0);
    assert.ok(store.matchingIgnoringMtime > 0 && store.matchingIgnoringMtime < store.entries, 'both namings are accepted');
  } finally {
    s.destroy();
  }
});

test('a shared file changed in place is found, with the paths of every guest that links it, and the audit exits 1', async () => {
  const s = await createSite();
  try {
    const entry = entryOf(s, 'g1', TOOL);
    changeInPlace(join(s.guest('g1'), TOOL));
    const result = await s.run(['--all', '--audit']);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 1);
    assert.equal(result.stdout.split('\n').slice(0, 3).join('\n'), [
      `damaged store entry '${s.hashDir}/root/${entry}': its content or attributes no longer give its name (changed in place)`,
      `  linked by 'g1' as '/${TOOL}'`,
      `  linked by 'g2' as '/${TOOL}'`,
    ].join('\n'));
    const n = listEntries(s.store).size;
    assert.match(result.stdout, new RegExp(`\naudit '${s.hashDir}': ${n} of ${n} entries checked, 1 damaged\n$`));
    // Looking at one guest, the other guest's link is counted, not named.
    const one = JSON.parse((await s.run(['--json', '--audit', 'g2'])).stdout) as AuditJson;
    assert.deepEqual(one.stores[0]!.damaged.map((d) => [d.linkedBy, d.otherLinks]), [[[{ guest: 'g2', path: `/${TOOL}` }], 1]]);
  } finally {
    s.destroy();
  }
});

test('--audit-sample checks that many entries, chosen at random', async () => {
  const s = await createSite();
  try {
    const result = await s.run(['--audit', '--audit-sample', '3', 'g1']);
    assert.equal(result.code, 0);
    const n = listEntries(s.store).size;
    assert.ok(n > 3);
    assert.equal(result.stdout, `audit '${s.hashDir}': 3 of ${n} entries checked, 0 damaged\n`);
    const bad = await s.run(['--audit', '--audit-sample', '0', 'g1']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, "vhashify: '--audit-sample' takes a whole number of entries above 0, not '0'\n");
  } finally {
    s.destroy();
  }
});

/** Content and metadata of every regular file of a guest: what --fix must keep. */
function readState(root: string, rel: string): Record<string, unknown> {
  const st = lstatSync(join(root, rel), { bigint: true });
  return { content: readFileSync(join(root, rel)).toString('hex'), mode: st.mode, uid: st.uid, gid: st.gid, size: st.size, mtimeNs: st.mtimeNs };
}

for (const protect of ['none', 'immutable'] as const) {
  test(`--fix (${protect}) gives every linking guest its own copy of what it holds and takes the entry out; the audit is clean after`, async () => {
    const s = await createSite(protect);
    try {
      const entry = entryOf(s, 'g1', TOOL);
      const path = join(s.guest('g1'), TOOL);
      // Under immutable only the admin can do this: lift the flag, write, put it back.
      if (protect === 'immutable') assert.equal(spawnSync('chattr', ['-i', path]).status, 0);
      changeInPlace(path);
      if (protect === 'immutable') assert.equal(spawnSync('chattr', ['+i', path]).status, 0);
      const before = { g1: readState(s.guest('g1'), TOOL), g2: readState(s.guest('g2'), TOOL) };
      const dryBefore = [listTree(s.guest('g1')), listTree(s.guest('g2')), listTree(s.store)];
      const dry = await s.run(['-n', '--all', '--audit', '--fix']);
      assert.equal(dry.code, 1);
      assert.match(dry.stdout, /  fix: would give 'g1' its own copy of what it holds\n  fix: would give 'g2' its own copy of what it holds\n  fix: would take the entry out of the store\n/);
      assert.deepEqual([listTree(s.guest('g1')), listTree(s.guest('g2')), listTree(s.store)], dryBefore, 'a dry run changes nothing');

      const fixed = await s.run(['--all', '--audit', '--fix']);
      assert.equal(fixed.stderr, '');
      assert.equal(fixed.code, 1, 'damage was found');
      assert.match(fixed.stdout, /  fix: gave 'g1' its own copy of what it holds\n  fix: gave 'g2' its own copy of what it holds\n  fix: took the entry out of the store\n/);
      assert.equal(existsSync(join(s.store, entry)), false);
      const g1 = lstatSync(join(s.guest('g1'), TOOL), { bigint: true });
      const g2 = lstatSync(join(s.guest('g2'), TOOL), { bigint: true });
      assert.notEqual(g1.ino, g2.ino, 'each guest has its own copy');
      assert.equal(g1.nlink, 1n);
      assert.equal(g2.nlink, 1n);
      assert.deepEqual({ g1: readState(s.guest('g1'), TOOL), g2: readState(s.guest('g2'), TOOL) }, before, 'content and metadata kept');
      assert.ok(!spawnSync('lsattr', ['-d', join(s.guest('g1'), TOOL)], { encoding: 'utf8' }).stdout.split(' ')[0]!.includes('i'), 'no flag on a private copy');
      const again = await s.run(['--all', '--audit']);
      assert.equal(again.code, 0, again.stdout);
      assert.match(again.stdout, / 0 damaged\n$/);
    } finally {
      s.destroy();
    }
  });
}

test('--fix and --audit-sample go with --audit only', async () => {
  const s = createAdminSandbox(['g1'], 'none');
  try {
    assert.deepEqual(await s.run(['--fix', 'g1']), { code: 1, stdout: '', stderr: "vhashify: '--fix' goes with '--audit'\n" });
    assert.deepEqual(await s.run(['--gc', '--audit-sample', '3', 'g1']), { code: 1, stdout: '', stderr: "vhashify: '--audit-sample' goes with '--audit'\n" });
  } finally {
    s.destroy();
  }
});
