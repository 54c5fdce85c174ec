import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { removeStoreName } from '../../src/store/remove-store-name.js';
import { openRootDir, releaseDir } from '../../src/walk/dir-handle.js';
import { linkEntry, writeEntry } from './entry-fixture.js';
import { createTmpfsDir, removeTmpfsDir } from './tmpfs-fixture.js';

let base = '';
let counter = 0;
before(() => {
  base = createTmpfsDir('remove-store-name');
});
after(() => {
  if (base !== '') {
    spawnSync('chattr', ['-R', '-f', '-i', base]);
    removeTmpfsDir(base);
  }
});

function isImmutable(path: string): boolean {
  const out = spawnSync('lsattr', ['-d', path], { encoding: 'utf8' }).stdout;
  return out.split(' ')[0]!.includes('i');
}

function withRoot<T>(fn: (fd: number, root: string) => T): T {
  const root = join(base, `r${counter++}`);
  mkdirSync(root);
  const handle = openRootDir(root);
  try {
    return fn(handle.fd, root);
  } finally {
    releaseDir(handle);
  }
}

test('an entry with the immutable flag is unlinked after its flag is lifted', () => {
  withRoot((fd, root) => {
    const name = writeEntry(root, 'an orphaned entry that still has its flag\n');
    assert.equal(spawnSync('chattr', ['+i', join(root, name)]).status, 0);
    assert.deepEqual(removeStoreName(fd, Buffer.from(name), { maxLinks: 1n }), { ok: true });
    assert.equal(existsSync(join(root, name)), false);
  });
});

test('a name whose inode has more links than allowed stays, with the reason', () => {
  withRoot((fd, root) => {
    const name = writeEntry(root, 'a guest linked this entry after the plan was made\n');
    linkEntry(root, name, join(root, '..', `guest${counter}`, 'file'));
    const outcome = removeStoreName(fd, Buffer.from(name), { maxLinks: 1n });
    assert.deepEqual(outcome, { ok: false, reason: 'it has 2 links now' });
    assert.equal(lstatSync(join(root, name)).nlink, 2);
  });
});

test('a flagged name of an inode that keeps other links gets its flag back on the inode', () => {
  withRoot((fd, root) => {
    const name = writeEntry(root, 'a temporary name of a shared, flagged inode\n');
    const guestFile = join(root, '..', `guest${counter}`, 'file');
    linkEntry(root, name, guestFile);
    assert.equal(spawnSync('chattr', ['+i', join(root, name)]).status, 0);
    assert.deepEqual(removeStoreName(fd, Buffer.from(name)), { ok: true });
    assert.equal(existsSync(join(root, name)), false);
    assert.equal(isImmutable(guestFile), true, 'the guest still shares a protected inode');
    spawnSync('chattr', ['-i', guestFile]);
  });
});

test('a name that is gone is reported, not thrown', () => {
  withRoot((fd) => {
    const outcome = removeStoreName(fd, Buffer.from('00/00/0000-00000000'));
    assert.equal(outcome.ok, false);
    assert.match(!outcome.ok ? outcome.reason : '', /cannot be opened \(No such file or directory\)/);
  });
});
