// Disk usage as the demo measures it: every inode once, whatever its number of names.
import assert from 'node:assert/strict';
import { linkSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { computeDiskUsage, countLinkedFiles, countSharedInodes, findEntryInodes } from '../../src/demo/measure-usage.js';

const scratch = mkdtempSync(join(tmpdir(), 'vhashify-measure-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function createTree(name: string): { root: string; a: string; b: string; store: string } {
  const root = join(scratch, name);
  const [a, b, store] = ['a', 'b', 'store'].map((part) => join(root, part)) as [string, string, string];
  for (const dir of [a, b, store]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(store, 'entry'), Buffer.alloc(64 * 1024, 7));
  linkSync(join(store, 'entry'), join(a, 'shared'));
  linkSync(join(store, 'entry'), join(b, 'shared'));
  writeFileSync(join(a, 'private'), Buffer.alloc(8 * 1024, 1));
  symlinkSync('shared', join(b, 'link'));
  return { root, a, b, store };
}

describe('computeDiskUsage', () => {
  it('counts a file with three names once', () => {
    const { root, store } = createTree('once');
    const usage = computeDiskUsage(root);
    // root, a, b, store, entry (3 names), private, link
    assert.equal(usage.inodes, 7);
    const entryBlocks = lstatSync(join(store, 'entry'), { bigint: true }).blocks * 512n;
    assert.ok(entryBlocks > 0n);
    const all = ['', 'a', 'b', 'store', 'store/entry', 'a/private', 'b/link']
      .map((path) => lstatSync(join(root, path), { bigint: true }).blocks * 512n)
      .reduce((sum, bytes) => sum + bytes, 0n);
    assert.equal(usage.bytes, all);
  });
});

describe('countLinkedFiles and countSharedInodes', () => {
  it('count regular files that are store entries, and those both trees share; symlinks are not files', () => {
    const { a, b, store } = createTree('linked');
    const entries = findEntryInodes(store);
    assert.equal(entries.size, 1);
    assert.deepEqual(countLinkedFiles(a, entries), { files: 2, linked: 1 });
    assert.deepEqual(countLinkedFiles(b, entries), { files: 1, linked: 1 });
    assert.equal(countSharedInodes(a, b), 1);
  });
});
