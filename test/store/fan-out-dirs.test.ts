import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { listFanOutDirs } from '../../src/store/fan-out-dirs.js';
import { openRootDir, releaseDir } from '../../src/walk/dir-handle.js';
import { createTmpfsDir, removeTmpfsDir } from './tmpfs-fixture.js';

let base = '';
before(() => {
  base = createTmpfsDir('fan-out-dirs');
});
after(() => {
  if (base !== '') removeTmpfsDir(base);
});

test('every xx and xx/yy directory is listed, empty ones too, each leaf before its parent; other names are not', () => {
  mkdirSync(join(base, 'ab', 'cd'), { recursive: true });
  mkdirSync(join(base, 'ab', 'ef'), { recursive: true });
  mkdirSync(join(base, '12'));
  mkdirSync(join(base, 'zz', '00'), { recursive: true });
  mkdirSync(join(base, 'ab', 'not-hex'));
  writeFileSync(join(base, '34'), 'a file named like a fan-out directory\n');
  const handle = openRootDir(base);
  try {
    const dirs = listFanOutDirs(handle.fd).map(String);
    assert.deepEqual([...dirs].sort(), ['12', 'ab', 'ab/cd', 'ab/ef']);
    assert.ok(dirs.indexOf('ab/cd') < dirs.indexOf('ab') && dirs.indexOf('ab/ef') < dirs.indexOf('ab'));
  } finally {
    releaseDir(handle);
  }
});
