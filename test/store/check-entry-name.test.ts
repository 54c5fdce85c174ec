import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, openSync, statSync, unlinkSync, utimesSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { checkEntryName } from '../../src/store/check-entry-name.js';
import { openRootDir, releaseDir } from '../../src/walk/dir-handle.js';
import { writeFileWithMeta } from '../unify/file-fixture.js';
import { ENTRY_META, writeEntry } from './entry-fixture.js';
import { createTmpfsDir, removeTmpfsDir } from './tmpfs-fixture.js';

let base = '';
let counter = 0;
before(() => {
  process.umask(0o022);
  base = createTmpfsDir('check-entry-name');
});
after(() => {
  if (base !== '') removeTmpfsDir(base);
});

function check(root: string, name: string): ReturnType<typeof checkEntryName>['kind'] | string {
  const handle = openRootDir(root);
  try {
    const result = checkEntryName(handle.fd, Buffer.from(name), 'sha256');
    return result.kind === 'matches' ? `matches${result.ignoreMtime ? ' ignoring mtime' : ''}` : result.kind;
  } finally {
    releaseDir(handle);
  }
}

function createRoot(): string {
  const root = join(base, `r${counter++}`);
  mkdirSync(root);
  return root;
}

test('an entry matches the name its content and attributes give, with or without the mtime', () => {
  const root = createRoot();
  assert.equal(check(root, writeEntry(root, 'named as a default run names it\n')), 'matches');
  assert.equal(check(root, writeEntry(root, 'named as an --ignore-mtime run names it\n', ENTRY_META, { ignoreMtime: true })), 'matches ignoring mtime');
  assert.equal(check(root, writeEntry(root, 'the counter is not part of the digest\n', ENTRY_META, { counter: 10 })), 'matches');
});

test('an entry changed in place, in content or in attributes, is damaged', () => {
  const root = createRoot();
  const content = writeEntry(root, 'content written over in place by a guest\n');
  const fd = openSync(join(root, content), 'r+');
  writeSync(fd, Buffer.from('C'), 0, 1, 0);
  closeSync(fd);
  utimesSync(join(root, content), ENTRY_META.mtime, ENTRY_META.mtime); // the guest even put the mtime back
  assert.equal(check(root, content), 'damaged');
  const mode = writeEntry(root, 'a guest made this shared file executable\n');
  chmodSync(join(root, mode), 0o755);
  assert.equal(check(root, mode), 'damaged');
  const mtime = writeEntry(root, 'touched: the mtime is part of the name\n');
  utimesSync(join(root, mtime), new Date(), new Date());
  assert.equal(check(root, mtime), 'damaged');
});

test('a placeholder is told apart, a missing entry is gone, and its access time is not moved by the check', () => {
  const root = createRoot();
  const name = writeEntry(root, 'read without moving the access time\n');
  const old = new Date(1_000_000_000_000);
  utimesSync(join(root, name), old, ENTRY_META.mtime);
  assert.equal(check(root, name), 'matches');
  assert.equal(statSync(join(root, name)).atimeMs, old.getTime());
  const slot = `${name.slice(0, -1)}1`;
  writeFileWithMeta(join(root, slot), '', { uid: 0, gid: 0, mode: 0o200, mtime: old });
  assert.equal(check(root, slot), 'placeholder');
  unlinkSync(join(root, slot));
  assert.equal(check(root, slot), 'gone');
});
