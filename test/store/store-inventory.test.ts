import assert from 'node:assert/strict';
import { linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readStoreInventory } from '../../src/store/store-inventory.js';
import { openRootDir, releaseDir } from '../../src/walk/dir-handle.js';
import { statSync } from 'node:fs';
import { createTmpfsDir, removeTmpfsDir } from './tmpfs-fixture.js';

let base = '';
before(() => {
  base = createTmpfsDir('store-inventory');
});
after(() => {
  if (base !== '') removeTmpfsDir(base);
});

test('every entry is listed with its inode number; leftovers and strays are set apart', () => {
  const root = join(base, 'root');
  mkdirSync(join(root, '23', '50'), { recursive: true });
  mkdirSync(join(root, 'ab', 'cd'), { recursive: true });
  mkdirSync(join(root, '.vhashify-tmp'));
  const a = join(root, '23', '50', 'ccae24b2-00000000');
  writeFileSync(a, 'entry a');
  writeFileSync(join(root, '23', '50', 'ccae24b2-00000001'), 'entry a, counter 1');
  writeFileSync(join(root, 'ab', 'cd', 'ef01-00000000;AbC123'), 'a copy temporary');
  writeFileSync(join(root, 'ab', 'stray'), 'not in the fan-out');
  linkSync(a, join(root, 'ab', 'cd', 'ef02-00000000')); // one inode under two entry names
  const handle = openRootDir(root);
  try {
    const inventory = readStoreInventory(handle);
    const names = inventory.entries.map((e) => e.name.toString()).sort();
    assert.deepEqual(names, ['23/50/ccae24b2-00000000', '23/50/ccae24b2-00000001', 'ab/cd/ef02-00000000']);
    for (const entry of inventory.entries) assert.equal(entry.ino, statSync(join(root, entry.name.toString()), { bigint: true }).ino);
    const ino = statSync(a, { bigint: true }).ino;
    assert.deepEqual(inventory.namesOf(ino)?.map(String).sort(), ['23/50/ccae24b2-00000000', 'ab/cd/ef02-00000000']);
    assert.equal(inventory.namesOf(123456789n), undefined);
    assert.deepEqual(inventory.others.map(String).sort(), ['.vhashify-tmp', 'ab/cd/ef01-00000000;AbC123', 'ab/stray']);
  } finally {
    releaseDir(handle);
  }
});
