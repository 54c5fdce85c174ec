import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SharingTally } from '../../src/report/sharing-tally.js';

const file = (ino: bigint, nlink: bigint, blocks: bigint, size: bigint) => ({ dev: 7n, ino, nlink, blocks, size });

test('private files save nothing; an inode met three times saves two copies of its blocks and bytes', () => {
  const tally = new SharingTally();
  tally.addFile(file(1n, 1n, 8n, 4000n));
  for (let i = 0; i < 3; i += 1) tally.addFile(file(2n, 4n, 16n, 8000n));
  assert.deepEqual(tally.read(), { files: 4, inodes: 2, savedBytes: 2n * 16n * 512n, pageCacheSharedBytes: 2n * 8000n });
});

test('a shared inode met once in the scope saves nothing within it (its other names are elsewhere)', () => {
  const tally = new SharingTally();
  tally.addFile(file(3n, 2n, 8n, 100n));
  assert.deepEqual(tally.read(), { files: 1, inodes: 1, savedBytes: 0n, pageCacheSharedBytes: 0n });
});

test('the same inode number on another device is another inode', () => {
  const tally = new SharingTally();
  tally.addFile(file(4n, 2n, 8n, 100n));
  tally.addFile({ ...file(4n, 2n, 8n, 100n), dev: 8n });
  assert.equal(tally.read().inodes, 2);
  assert.equal(tally.read().savedBytes, 0n);
});
