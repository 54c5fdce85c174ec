// --overview on sandbox guests: its figures equal an independent count of the trees and the store.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { vserverStandInPath } from '../support/paths.js';
import { runCommand } from '../support/run-cli.js';
import { listTree } from '../unify/file-fixture.js';
import {
  countGuest, countStore, createAdminSandbox, EXCLUDE_LIST, listEntries, writeGuestTree, writeLauncher, type AdminSandbox,
} from './admin-fixture.js';

let sandbox: AdminSandbox;
before(async () => {
  process.umask(0o022);
  sandbox = createAdminSandbox(['g1', 'g2'], 'none', ['g3']);
  for (const name of ['g1', 'g2', 'g3']) writeGuestTree(sandbox.guest(name), name);
  const hashified = await sandbox.run(['--all']);
  assert.equal(hashified.code, 0, hashified.stderr);
  // After the runs: a file g2 alone had is deleted (its entry is orphaned), g1 gets a file not hashified yet.
  unlinkSync(join(sandbox.guest('g2'), 'etc/own.conf'));
  writeFileSync(join(sandbox.guest('g1'), 'etc/new.conf'), 'written after the last run, not linked yet\n');
});
after(() => sandbox?.destroy());

interface OverviewJson {
  report: string;
  version: number;
  guests: Array<Record<string, unknown>>;
  stores: Array<Record<string, unknown>>;
}

async function runJson(argv: string[]): Promise<OverviewJson> {
  const result = await sandbox.run(['--json', ...argv]);
  assert.equal(result.stderr, '');
  assert.equal(result.code, 0);
  return JSON.parse(result.stdout) as OverviewJson;
}

function pick(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, record[k]]));
}

const GUEST_KEYS = ['eligibleFiles', 'eligibleBytes', 'linkedFiles', 'linkedBytes', 'savedBytes', 'pageCacheSharedBytes'] as const;
const STORE_KEYS = ['entries', 'allocatedBytes', 'orphanedEntries', 'orphanedBytes', 'savedBytes', 'pageCacheSharedBytes'] as const;

test("one guest's overview equals an independent count of its tree and of the store", async () => {
  const doc = await runJson(['--overview', 'g1']);
  assert.equal(doc.report, 'overview');
  assert.equal(doc.version, 1);
  assert.equal(doc.guests.length, 1);
  const g1 = doc.guests[0]!;
  assert.equal(g1['guest'], 'g1');
  const expected = countGuest(sandbox.guest('g1'), sandbox.store);
  assert.deepEqual(pick(g1, GUEST_KEYS), expected);
  assert.equal(expected.linkedFiles, expected.eligibleFiles - 1, 'all but the new file are linked');
  assert.ok(expected.savedBytes > 0, 'the two names of one file save within the guest');
  assert.equal(g1['hashifiedPercent'], Math.round((expected.linkedFiles / expected.eligibleFiles) * 1000) / 10);
  assert.equal(doc.stores.length, 1);
  const store = doc.stores[0]!;
  assert.deepEqual(pick(store, STORE_KEYS), countStore(sandbox.store));
  assert.equal(store['orphanedEntries'], 1, "g2's deleted file");
  assert.equal(store['protection'], 'none');
  assert.equal(store['leftovers'], 0);
});

test('--all reports each opted-in guest and their store once, each equal to an independent count', async () => {
  const doc = await runJson(['--all', '--overview']);
  assert.deepEqual(doc.guests.map((g) => g['guest']), ['g1', 'g2'], 'g3 has no apps/vunify');
  for (const g of doc.guests) assert.deepEqual(pick(g, GUEST_KEYS), countGuest(sandbox.guest(String(g['guest'])), sandbox.store));
  assert.equal(doc.stores.length, 1);
  const expected = countStore(sandbox.store);
  assert.deepEqual(pick(doc.stores[0]!, STORE_KEYS), expected);
  assert.ok(expected.savedBytes > 0, 'entries linked by both guests save one copy each');
});

test('the text report shows the same figures, aligned, for a guest and its store', async () => {
  const result = await sandbox.run(['--overview', 'g2']);
  assert.equal(result.code, 0);
  assert.equal(result.stderr, '');
  const expected = countGuest(sandbox.guest('g2'), sandbox.store);
  const lines = result.stdout.split('\n');
  assert.equal(lines[0], 'guest g2');
  assert.equal(lines[1], `  directory              ${sandbox.guest('g2')}`);
  assert.match(lines[2]!, new RegExp(`^  eligible files         ${expected.eligibleFiles} \\(`));
  assert.match(lines[3]!, new RegExp(`^  linked into the store  ${expected.linkedFiles} \\(`));
  assert.equal(lines[4], '  hashified              100.0 %');
  assert.ok(lines.includes(`store ${sandbox.hashDir}`));
  assert.ok(lines.includes(`  storage roots          ${sandbox.hashDir}/root/`));
  assert.match(result.stdout, /\n  orphaned entries       1 \(4\.0 KiB; no guest links them: --gc removes them\)\n/);
  assert.match(result.stdout, /\n  protection             none \(plain hard links\)\n/);
});

test('manual mode counts a directory with the exclude list given, as vserver mode counts the guest', async () => {
  const exclude = sandbox.write('manual-exclude', EXCLUDE_LIST);
  const manual = await runJson(['--manually', '--destination', sandbox.hashDir, '--overview', sandbox.guest('g1'), exclude]);
  const named = await runJson(['--overview', 'g1']);
  assert.deepEqual(pick(manual.guests[0]!, GUEST_KEYS), pick(named.guests[0]!, GUEST_KEYS));
  assert.equal(manual.guests[0]!['guest'], sandbox.guest('g1'));
});

test('vserver g1 hashify --overview, through the wrapper stand-in, prints the report of vhashify --overview g1', async () => {
  writeLauncher(sandbox);
  const wrapped = await runCommand(['bash', vserverStandInPath, 'g1', 'hashify', '--overview'], { env: sandbox.env, cwd: sandbox.top });
  assert.equal(wrapped.stderr.toString(), '');
  assert.equal(wrapped.exitCode, 0);
  const direct = await sandbox.run(['--overview', 'g1']);
  assert.equal(wrapped.stdout.toString(), direct.stdout);
});

test('the overview reads no file content and changes nothing: trees, store and access times stay as they were', async () => {
  const dirs = [sandbox.guest('g1'), sandbox.guest('g2'), sandbox.store];
  // Access times older than the modification times: any read would move them (relatime).
  for (const dir of dirs) spawnSync('find', [dir, '-type', 'f', '-exec', 'touch', '-a', '-d', '2001-01-01', '{}', '+']);
  const readAtimes = (): string => spawnSync('find', [...dirs, '-type', 'f', '-printf', '%p %A@\\n'], { encoding: 'utf8' }).stdout;
  const atimes = readAtimes();
  assert.match(atimes, / 978307200\.0+\n/);
  await runJson(['--all', '--overview']);
  assert.equal(readAtimes(), atimes, 'no file was read');
  const before = [...dirs, sandbox.hashDir].map((dir) => listTree(dir));
  await runJson(['--all', '--overview']);
  assert.deepEqual([...dirs, sandbox.hashDir].map((dir) => listTree(dir)), before, 'nothing changed');
});

test('under immutable, the entries that lack the flag are counted for the guest and for the store', async () => {
  const s = createAdminSandbox(['g1'], 'immutable');
  try {
    writeGuestTree(s.guest('g1'), 'g1');
    assert.equal((await s.run(['g1'])).code, 0);
    const [first] = [...listEntries(s.store).keys()];
    assert.equal(spawnSync('chattr', ['-i', join(s.store, first!)]).status, 0);
    const doc = JSON.parse((await s.run(['--overview', '--json', 'g1'])).stdout) as OverviewJson;
    assert.equal(doc.stores[0]!['protection'], 'immutable');
    assert.equal(doc.stores[0]!['unprotectedEntries'], 1);
    assert.equal(doc.guests[0]!['unprotectedEntries'], 1);
    const text = (await s.run(['--overview', 'g1'])).stdout;
    assert.match(text, /\n  protection +immutable, missing on 1 linked entries \(the next run repairs them\)\n/);
  } finally {
    s.destroy();
  }
});

test('a guest name is required, and one guest at most, as in a run', async () => {
  const none = await sandbox.run(['--overview']);
  assert.equal(none.code, 1);
  assert.equal(none.stderr, 'No directory/vserver given\n');
  const two = await sandbox.run(['--overview', 'g1', 'g2']);
  assert.equal(two.code, 1);
  assert.equal(two.stderr, 'More than one vserver is not supported\n');
  const mixed = await sandbox.run(['--overview', '--gc', 'g1']);
  assert.equal(mixed.code, 1);
  assert.equal(mixed.stderr, "vhashify: '--overview' and '--gc' do not go together; give one of them\n");
});
