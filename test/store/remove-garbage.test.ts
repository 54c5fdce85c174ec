import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { removeGarbageItem } from '../../src/store/remove-garbage.js';
import { openRootDir, releaseDir } from '../../src/walk/dir-handle.js';
import { createTmpfsDir, removeTmpfsDir } from './tmpfs-fixture.js';

let base = '';
before(() => {
  base = createTmpfsDir('remove-garbage');
});
after(() => {
  if (base !== '') removeTmpfsDir(base);
});

test('an empty directory is removed; one that is not empty after all is skipped quietly', () => {
  mkdirSync(join(base, 'ab', 'cd'), { recursive: true });
  mkdirSync(join(base, 'ef', '01'), { recursive: true });
  writeFileSync(join(base, 'ef', '01', 'kept'), 'a removal before this one failed\n');
  const handle = openRootDir(base);
  try {
    const dir = (name: string) => ({ kind: 'empty directory' as const, name: Buffer.from(name), bytes: 0n });
    assert.deepEqual(removeGarbageItem(handle.fd, dir('ab/cd')), { ok: true });
    assert.deepEqual(removeGarbageItem(handle.fd, dir('ab')), { ok: true });
    assert.deepEqual(removeGarbageItem(handle.fd, dir('ef/01')), { ok: false, skipped: true });
    assert.equal(existsSync(join(base, 'ab')), false);
    assert.equal(existsSync(join(base, 'ef', '01', 'kept')), true);
  } finally {
    releaseDir(handle);
  }
});

test('a file is removed through removeStoreName, with its link limit', () => {
  mkdirSync(join(base, '12', '34'), { recursive: true });
  writeFileSync(join(base, '12', '34', '5678-00000000'), 'an orphaned entry\n');
  const handle = openRootDir(base);
  try {
    assert.deepEqual(removeGarbageItem(handle.fd, { kind: 'orphaned entry', name: Buffer.from('12/34/5678-00000000'), bytes: 0n, maxLinks: 1n }), { ok: true });
    assert.equal(existsSync(join(base, '12', '34', '5678-00000000')), false);
  } finally {
    releaseDir(handle);
  }
});
