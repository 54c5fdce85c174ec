// The next run removes `X;XXXXXX` links that a crash between link and rename left beside `X`.
import assert from 'node:assert/strict';
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/report/output.js';
import { writeFileWithMeta, type FileMeta } from '../unify/file-fixture.js';

const base = mkdtempSync('/tmp/vhashify-sweep-');
after(() => rmSync(base, { recursive: true, force: true }));
const META: FileMeta = { uid: 0, gid: 0, mode: 0o644, mtime: new Date(1_600_000_000_000) };

async function hashify(args: string[]): Promise<{ code: number; stdout: string }> {
  const stdout: Buffer[] = [];
  const out: Output = { out: (t) => stdout.push(Buffer.from(t)), err: () => undefined, flush: () => undefined };
  const code = await main(['--protect', 'none', '--manually', '--destination', join(base, 'hash'), '-vv', ...args, join(base, 'guest'), join(base, 'exclude')], {
    argv0: 'vhashify', cwd: base, env: { VHASHIFY_CACHE_DIR: join(base, 'cache') }, out,
  });
  return { code, stdout: Buffer.concat(stdout).toString() };
}

test('a `name;XXXXXX` store-entry link beside `name` is removed; other such names are left alone', async () => {
  mkdirSync(join(base, 'hash', 'root'), { recursive: true });
  mkdirSync(join(base, 'guest'));
  writeFileSync(join(base, 'exclude'), '');
  writeFileWithMeta(join(base, 'guest', 'x'), 'content of x, hashified once\n', META);
  assert.equal((await hashify([])).code, 0);
  // What a crash between our link and rename leaves: a second name for the entry beside the target.
  linkSync(join(base, 'guest', 'x'), join(base, 'guest', 'x;AbC123'));
  // A look-alike without its sibling, and one that is not a store entry: both must stay.
  writeFileWithMeta(join(base, 'guest', 'lonely;Zz9999'), 'a file that only looks like a temporary\n', META);
  writeFileWithMeta(join(base, 'guest', 'x;Qq0000'), 'private data, not in the store yet\n', META);
  const dry = await hashify(['-n']);
  assert.ok(existsSync(join(base, 'guest', 'x;AbC123')), 'a dry run removes nothing');
  assert.doesNotMatch(dry.stdout, /removing leftover/);
  const run = await hashify([]);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^ {2}removing leftover '\/x;AbC123'$/m);
  assert.deepEqual(readdirSync(join(base, 'guest')).sort(), ['lonely;Zz9999', 'x', 'x;Qq0000']);
  assert.equal(readFileSync(join(base, 'guest', 'x'), 'utf8'), 'content of x, hashified once\n');
  assert.equal(readFileSync(join(base, 'guest', 'x;Qq0000'), 'utf8'), 'private data, not in the store yet\n');
  assert.ok(lstatSync(join(base, 'guest', 'lonely;Zz9999')).nlink >= 2, 'the look-alike was hashified like any file');
});

test("copies a crashed run left in the root's temporary directory are swept, and the directory goes away", async () => {
  const tmp = join(base, 'hash', 'root', '.vhashify-tmp');
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, 'copy;Abc123'), 'half a copy');
  // A directory in there (an older layout, or a hand-made one) must not stop the run.
  mkdirSync(join(tmp, 'sub', 'deeper'), { recursive: true });
  writeFileSync(join(tmp, 'sub', 'deeper', 'copy;Def456'), 'another half');
  writeFileWithMeta(join(base, 'guest', 'new-file'), 'a new file that needs a copy in the store\n', META);
  const run = await hashify([]);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^unifying {3}'\/new-file'$/m);
  assert.equal(existsSync(tmp), false, 'the temporary directory of copies is gone after the run');
  assert.ok(lstatSync(join(base, 'guest', 'new-file')).nlink >= 2);
});
