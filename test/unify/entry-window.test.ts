import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ProtectionJournal } from '../../src/store/protection-journal.js';
import { FS_IMMUTABLE_FL, O_NOFOLLOW, O_RDONLY } from '../../src/sys/constants.js';
import { fstatFd } from '../../src/sys/file-stat.js';
import { getInodeFlags, setInodeFlags } from '../../src/sys/inode-flags.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { changeInsideWindow } from '../../src/unify/entry-window.js';
import type { ReplaceOutcome } from '../../src/unify/replace-with-link.js';
import { createExt4Mount, openDirPath, type TestMount } from '../sys/fs-fixtures.js';

let fs: TestMount;
let rootFd = -1;
let counter = 0;
before(() => {
  fs = createExt4Mount('entry-window');
  mkdirSync(join(fs.dir, 'guest'));
  mkdirSync(join(fs.dir, 'cache'));
  rootFd = openDirPath(fs.dir);
});
after(() => {
  if (rootFd >= 0) closeFd(rootFd);
  spawnSync('chattr', ['-R', '-i', fs.dir], { stdio: 'ignore' });
  fs?.remove();
});

/** A store entry with a guest name, flagged immutable; returns both names. */
function createLockedEntry(): { entry: string; guest: string } {
  const n = counter++;
  const entry = `entry-${n}`;
  const guest = `guest/file-${n}`;
  writeFileSync(join(fs.dir, entry), 'shared content\n');
  linkSync(join(fs.dir, entry), join(fs.dir, guest));
  setFlag(entry, true);
  return { entry, guest };
}

function setFlag(name: string, on: boolean): void {
  const fd = openAt(rootFd, Buffer.from(name), O_RDONLY | O_NOFOLLOW);
  try {
    const flags = getInodeFlags(fd);
    setInodeFlags(fd, on ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL);
  } finally {
    closeFd(fd);
  }
}

function isLocked(name: string): boolean {
  const fd = openAt(rootFd, Buffer.from(name), O_RDONLY | O_NOFOLLOW);
  try {
    return (getInodeFlags(fd) & FS_IMMUTABLE_FL) !== 0;
  } finally {
    closeFd(fd);
  }
}

// The change the windows exist for: a private copy renamed over the guest's name of the entry.
function renameCopyOver(guest: string): () => ReplaceOutcome {
  return () => {
    writeFileSync(join(fs.dir, `${guest}.copy`), 'shared content\n');
    try {
      renameSync(join(fs.dir, `${guest}.copy`), join(fs.dir, guest));
      return { ok: true };
    } catch (error) {
      return { ok: false, changed: false, message: `rename(): ${(error as Error).message}\n` };
    }
  };
}

test('under immutable the flag is lifted for the rename over a name of the entry and put back, journaled meanwhile', () => {
  const { entry, guest } = createLockedEntry();
  assert.equal(renameCopyOver(guest)().ok, false, 'the flag forbids the rename');
  const journal = ProtectionJournal.forRoot(join(fs.dir, 'cache'), fstatFd(rootFd));
  let journaledDuring: string[] = [];
  const outcome = changeInsideWindow('immutable', { dirFd: rootFd, name: Buffer.from(entry), path: entry }, journal, () => {
    journaledDuring = journal.readPending().map((n) => n.toString());
    assert.equal(isLocked(entry), false);
    return renameCopyOver(guest)();
  });
  journal.close();
  assert.deepEqual(outcome, { kind: 'done' });
  assert.deepEqual(journaledDuring, [entry]);
  assert.equal(isLocked(entry), true, 'the entry has its flag back');
  assert.equal(isLocked(guest), false, 'the copy carries none');
  assert.equal(readFileSync(join(fs.dir, guest), 'utf8'), 'shared content\n');
});

test('a change that fails inside the window leaves the flag as it was and says why', () => {
  const { entry } = createLockedEntry();
  const outcome = changeInsideWindow('immutable', { dirFd: rootFd, name: Buffer.from(entry), path: entry }, undefined, () => ({ ok: false, changed: true, message: '' }));
  assert.deepEqual(outcome, { kind: 'not-done', outcome: { ok: false, changed: true, message: '' } });
  assert.equal(isLocked(entry), true);
});

test('an entry without the flag is changed without a window, and gets none', () => {
  const { entry, guest } = createLockedEntry();
  setFlag(entry, false);
  assert.deepEqual(changeInsideWindow('immutable', { dirFd: rootFd, name: Buffer.from(entry), path: entry }, undefined, renameCopyOver(guest)), { kind: 'done' });
  assert.equal(isLocked(entry), false);
});

test('a missing entry refuses the change: the guest name stays shared', () => {
  let ran = false;
  const outcome = changeInsideWindow('immutable', { dirFd: rootFd, name: Buffer.from('no-such-entry'), path: '/store/no-such-entry' }, undefined, () => {
    ran = true;
    return { ok: true };
  });
  assert.equal(ran, false);
  assert.equal(outcome.kind, 'refused');
  assert.match((outcome as { message: string }).message, /^vhashify: store entry '\/store\/no-such-entry' cannot be opened \(No such file or directory\); the file stays shared\n$/);
});

test('under none a flag an earlier run set is lifted too, and put back', () => {
  const { entry, guest } = createLockedEntry();
  assert.deepEqual(changeInsideWindow('none', { dirFd: rootFd, name: Buffer.from(entry), path: entry }, undefined, renameCopyOver(guest)), { kind: 'done' });
  assert.equal(isLocked(entry), true);
  assert.equal(isLocked(guest), false);
});

test('vserver just runs the change (its immutable-but-unlinkable attributes allow the rename)', () => {
  for (const policy of ['vserver'] as const) {
    let ran = 0;
    const outcome = changeInsideWindow(policy, { dirFd: rootFd, name: Buffer.from('no-such-entry'), path: 'x' }, undefined, () => {
      ran += 1;
      return { ok: true };
    });
    assert.deepEqual(outcome, { kind: 'done' });
    assert.equal(ran, 1);
  }
});
