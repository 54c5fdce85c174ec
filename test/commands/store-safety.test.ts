// Guarantees beyond upstream at link time: full entries (EMLINK) and entries whose bytes differ.
import assert from 'node:assert/strict';
import { linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/report/output.js';
import { writeFileWithMeta, type FileMeta } from '../unify/file-fixture.js';

// ext4 (the root filesystem here) allows 65000 links per inode; tmpfs has no such limit.
let base = '';
before(() => {
  process.umask(0o022);
  base = mkdtempSync('/var/tmp/vhashify-store-safety-');
});
after(() => rmSync(base, { recursive: true, force: true }));

const META: FileMeta = { uid: 0, gid: 0, mode: 0o644, mtime: new Date(1_500_000_000_000) };

async function hashify(dir: string, guest: string, extra: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const out: Output = {
    out: (t) => stdout.push(Buffer.from(t)),
    err: (t) => stderr.push(Buffer.from(t)),
    flush: () => undefined,
  };
  const code = await main(
    ['--protect', 'none', '--manually', '--destination', join(dir, 'hash'), '-vvvv', ...extra, join(dir, guest), join(dir, 'exclude')],
    { argv0: 'vhashify', cwd: dir, env: { VHASHIFY_CACHE_DIR: join(dir, 'cache') }, out },
  );
  return { code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() };
}

function createSite(name: string): string {
  const dir = join(base, name);
  mkdirSync(join(dir, 'hash', 'root'), { recursive: true });
  mkdirSync(join(dir, 'g1'), { recursive: true });
  mkdirSync(join(dir, 'g2'), { recursive: true });
  writeFileSync(join(dir, 'exclude'), '');
  return dir;
}

function findEntries(dir: string): string[] {
  const root = join(dir, 'hash', 'root');
  return (readdirSync(root, { recursive: true }) as string[]).filter((p) => /-[0-9a-f]{8}$/.test(p)).sort();
}

test('an entry that has as many links as the filesystem allows sends the next identical file to counter 1 (not Q29)', async () => {
  const dir = createSite('emlink');
  writeFileWithMeta(join(dir, 'g1', 'file'), 'shared content, linked very often\n', META);
  assert.equal((await hashify(dir, 'g1')).code, 0);
  const [entry] = findEntries(dir);
  assert.ok(entry?.endsWith('-00000000'));
  const entryPath = join(dir, 'hash', 'root', entry!);
  // Fill the entry up to ext4's limit with links outside the guests.
  mkdirSync(join(dir, 'links'));
  let n = 0;
  for (;;) {
    try {
      linkSync(entryPath, join(dir, 'links', String(n++)));
    } catch (error) {
      assert.equal((error as NodeJS.ErrnoException).code, 'EMLINK');
      break;
    }
  }
  writeFileWithMeta(join(dir, 'g2', 'file'), 'shared content, linked very often\n', META);
  const run = await hashify(dir, 'g2');
  assert.equal(run.code, 0);
  assert.equal(run.stderr, '', 'no "link(): Too many links" line');
  const entries = findEntries(dir);
  assert.deepEqual(entries.map((e) => e.slice(-9)), ['-00000000', '-00000001']);
  const second = lstatSync(join(dir, 'hash', 'root', entries[1]!), { bigint: true });
  const guest = lstatSync(join(dir, 'g2', 'file'), { bigint: true });
  assert.equal(guest.ino, second.ino, 'the guest file is now the entry at counter 1');
  assert.equal(readFileSync(join(dir, 'g2', 'file'), 'utf8'), 'shared content, linked very often\n');
});

test('a file is not linked to an existing entry whose bytes differ from its own, whatever the digest says', async () => {
  const dir = createSite('compare');
  writeFileWithMeta(join(dir, 'g1', 'file'), 'original content of the shared file\n', META);
  assert.equal((await hashify(dir, 'g1')).code, 0);
  const [entry] = findEntries(dir);
  const entryPath = join(dir, 'hash', 'root', entry!);
  // Someone changes the entry in place (same size, mtime restored): its name no longer matches its bytes.
  writeFileWithMeta(entryPath, 'ORIGINAL CONTENT OF THE SHARED FILE\n', META);
  writeFileWithMeta(join(dir, 'g2', 'file'), 'original content of the shared file\n', META);
  const before = lstatSync(join(dir, 'g2', 'file'), { bigint: true });
  const run = await hashify(dir, 'g2');
  assert.equal(run.code, 0);
  assert.match(run.stderr, /^vhashify: '\/file' has the digest of '.*-00000000' but other content .*; left alone\n$/);
  const after = lstatSync(join(dir, 'g2', 'file'), { bigint: true });
  assert.equal(after.ino, before.ino, 'the guest file was left alone');
  assert.equal(readFileSync(join(dir, 'g2', 'file'), 'utf8'), 'original content of the shared file\n');
});

test('copies prepared by the hashing threads become the new entries; duplicates and dry runs leave no copy behind', async () => {
  const dir = createSite('prepared');
  // Well past the files hashed inline, so the threads prepare copies; every fifth file repeats an
  // earlier one close by (inside the hashing window), so some prepared copies lose to an entry.
  for (let i = 0; i < 400; i += 1) {
    const content = i % 5 === 4 ? `file number ${i - 1}\n`.repeat(8) : `file number ${i}\n`.repeat(8);
    writeFileWithMeta(join(dir, 'g1', `f${String(i).padStart(3, '0')}`), content, { ...META, mode: 0o640, uid: 7, gid: 9 });
  }
  assert.equal((await hashify(dir, 'g1', ['--dry-run'])).code, 0);
  assert.deepEqual(findEntries(dir), [], 'a dry run writes nothing');
  const run = await hashify(dir, 'g1');
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
  const entries = findEntries(dir);
  assert.equal(entries.length, 320, 'one entry per distinct content');
  assert.deepEqual(readdirSync(join(dir, 'hash', 'root')).filter((n) => n.startsWith('.')), [], 'no temporary directory or copy left');
  for (let i = 0; i < 400; i += 1) {
    const name = join(dir, 'g1', `f${String(i).padStart(3, '0')}`);
    const st = lstatSync(name, { bigint: true });
    const expected = i % 5 === 4 ? `file number ${i - 1}\n`.repeat(8) : `file number ${i}\n`.repeat(8);
    assert.equal(readFileSync(name, 'utf8'), expected, name);
    assert.deepEqual([st.mode & 0o7777n, st.uid, st.gid, st.nlink], [0o640n, 7n, 9n, i % 5 === 3 || i % 5 === 4 ? 3n : 2n], name);
  }
  // Every entry is a copy: no guest inode was made an entry (copy mode).
  const original = lstatSync(join(dir, 'g1', 'f000'), { bigint: true });
  assert.equal(original.nlink, 2n);
});

test('an entry changed in place is caught when the comparison was made ahead on a hashing thread too', async () => {
  const dir = createSite('compare-ahead');
  const fillers = (guest: string): void => {
    // Past the files hashed inline, so the threads hash and compare ahead.
    for (let i = 0; i < 120; i += 1) writeFileWithMeta(join(dir, guest, `a${String(i).padStart(3, '0')}`), `filler ${i}\n`.repeat(3), META);
  };
  fillers('g1');
  writeFileWithMeta(join(dir, 'g1', 'z-file'), 'original content of the shared file\n', META);
  assert.equal((await hashify(dir, 'g1')).code, 0);
  const zEntry = lstatSync(join(dir, 'g1', 'z-file'), { bigint: true });
  const entryPath = join(dir, 'hash', 'root', findEntries(dir).find((e) => lstatSync(join(dir, 'hash', 'root', e)).ino === Number(zEntry.ino))!);
  writeFileWithMeta(entryPath, 'ORIGINAL CONTENT OF THE SHARED FILE\n', META);
  fillers('g2');
  writeFileWithMeta(join(dir, 'g2', 'z-file'), 'original content of the shared file\n', META);
  const before = lstatSync(join(dir, 'g2', 'z-file'), { bigint: true });
  const run = await hashify(dir, 'g2');
  assert.equal(run.code, 0);
  assert.match(run.stderr, /^vhashify: '\/z-file' has the digest of '.*-00000000' but other content .*; left alone\n$/);
  assert.equal(lstatSync(join(dir, 'g2', 'z-file'), { bigint: true }).ino, before.ino, 'the guest file was left alone');
  // The 120 fillers were compared ahead and linked: each is now its g1 twin's inode.
  for (let i = 0; i < 120; i += 1) {
    const name = `a${String(i).padStart(3, '0')}`;
    assert.equal(lstatSync(join(dir, 'g2', name)).ino, lstatSync(join(dir, 'g1', name)).ino, name);
  }
});
