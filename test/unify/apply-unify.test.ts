import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  appendFileSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync, type BigIntStats,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { examineFile } from '../../src/ahead/examine-file.js';
import { findSlot } from '../../src/store/find-slot.js';
import { lstatAt, type FileStat } from '../../src/sys/file-stat.js';
import { applyUnify, type UnifyMode, type UnifyRequest, type UnifyResult } from '../../src/unify/apply-unify.js';
import { copyGuestFile, formatCopyName } from '../../src/unify/copy-to-store.js';
import { createImmutableProtection } from '../../src/unify/immutable-protection.js';
import { createNoProtection, type Protection } from '../../src/unify/protection.js';
import { createVserverProtection } from '../../src/unify/vserver-protection.js';
import { openRootDir, releaseDir, type DirHandle } from '../../src/walk/dir-handle.js';
import { createBindMount, createTmpfsDir, removeTmpfsDir } from '../store/tmpfs-fixture.js';
import { writeFileWithMeta, type FileMeta } from './file-fixture.js';

let base = '';
let counter = 0;
before(() => {
  process.umask(0o022);
  base = createTmpfsDir('apply-unify');
});
after(() => {
  if (base !== '') {
    spawnSync('chattr', ['-R', '-i', base]);
    removeTmpfsDir(base);
  }
});

const META: FileMeta = { uid: 1500, gid: 1600, mode: 0o4755, mtime: new Date(1_300_000_000_700) };
const CONTENT = 'a file that several guests hold, byte for byte\n';

interface Case {
  dir: string;
  storeRoot: string;
  store: DirHandle;
  guests: string[];
  handles: DirHandle[];
}

// A store root and `guestCount` guest directories, each with `file` (same content and metadata).
function createCase(guestCount: number, storeRoot?: string): Case {
  const dir = join(base, `c${counter++}`);
  const root = storeRoot ?? join(dir, 'store');
  mkdirSync(root, { recursive: true });
  const guests: string[] = [];
  for (let i = 0; i < guestCount; i += 1) {
    const guest = join(dir, `guest${i}`);
    mkdirSync(guest, { recursive: true });
    writeFileWithMeta(join(guest, 'file'), CONTENT, META);
    writeFileSync(join(guest, 'neighbour'), 'another file of the guest\n');
    guests.push(guest);
  }
  return { dir, storeRoot: `${root}/`, store: openRootDir(root), guests, handles: guests.map((g) => openRootDir(g)) };
}

function releaseCase(c: Case): void {
  for (const handle of [...c.handles, c.store]) releaseDir(handle);
}

// What the conductor does for guest i: lstat, examine, find the slot, make a new entry's copy, build the request.
function planUnify(c: Case, i: number, mode: UnifyMode, protection: Protection): UnifyRequest {
  const dir = c.handles[i]!;
  const name = Buffer.from('file');
  const stat = lstatAt(dir.fd, name);
  const hashed = examineFile(dir.fd, name, stat, 'sha256', false);
  assert.ok(hashed.ok);
  const root = { fd: c.store.fd, path: c.storeRoot };
  const slot = findSlot(root, hashed.digest, stat, { dryRun: false, ignoreMtime: false });
  assert.ok(slot.kind === 'new' || slot.kind === 'existing', `slot ${slot.kind}`);
  const req: UnifyRequest = { dir, name, stat, path: Buffer.from('/file'), root, slot, mode, protection };
  if (slot.kind === 'new' && mode === 'copy') {
    const copy = copyGuestFile({ dirFd: dir.fd, name }, stat, c.store.fd, () => formatCopyName(false, slot.name));
    assert.ok(copy.ok);
    req.preparedCopy = copy.copy;
  }
  return req;
}

function slotPath(c: Case, req: UnifyRequest): string {
  return join(c.storeRoot, req.slot.name.toString());
}

function guestFile(c: Case, i: number): BigIntStats {
  return lstatSync(join(c.guests[i]!, 'file'), { bigint: true });
}

function listStore(c: Case): string[] {
  return (readdirSync(c.storeRoot, { recursive: true }) as string[]).sort();
}

function hasImmutableFlag(path: string): boolean {
  const result = spawnSync('lsattr', ['-d', path], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split(' ')[0]!.includes('i');
}

function assertGuestUntouched(c: Case, i: number, before: BigIntStats): void {
  const now = guestFile(c, i);
  assert.equal(now.ino, before.ino);
  assert.equal(now.nlink, before.nlink);
  assert.equal(readFileSync(join(c.guests[i]!, 'file'), 'utf8'), CONTENT);
  assert.deepEqual(readdirSync(c.guests[i]!).sort(), ['file', 'neighbour']);
}

function assertOk(result: UnifyResult): FileStat {
  if (!result.ok) assert.fail(`unify failed: ${result.messages.map(String).join('')}`);
  return result.entryStat;
}

test('copy mode: a new entry is a copy, and the guest name now is that copy', () => {
  const c = createCase(1);
  try {
    const before = guestFile(c, 0);
    linkSync(join(c.guests[0]!, 'file'), join(c.dir, 'kept-original'));
    const req = planUnify(c, 0, 'copy', createNoProtection());
    const entryStat = assertOk(applyUnify(req));
    const after = guestFile(c, 0);
    assert.notEqual(after.ino, before.ino, 'a new inode');
    assert.equal(after.ino, entryStat.ino);
    assert.equal(lstatSync(slotPath(c, req), { bigint: true }).ino, after.ino);
    assert.equal(after.nlink, 2n);
    assert.equal(after.mode, before.mode);
    assert.equal(after.uid, before.uid);
    assert.equal(after.gid, before.gid);
    assert.equal(after.mtimeNs, before.mtimeNs, 'the original mtime, to the nanosecond');
    assert.equal(readFileSync(slotPath(c, req), 'utf8'), CONTENT);
    assert.deepEqual(readdirSync(c.guests[0]!).sort(), ['file', 'neighbour']);
    const original = lstatSync(join(c.dir, 'kept-original'), { bigint: true });
    assert.equal(original.ino, before.ino);
    assert.equal(original.nlink, 1n, 'the guest name no longer refers to the old inode');
    assert.equal(readFileSync(join(c.dir, 'kept-original'), 'utf8'), CONTENT);
  } finally {
    releaseCase(c);
  }
});

test('in-place mode: the guest keeps its inode and that inode becomes the entry', () => {
  const c = createCase(1);
  try {
    const before = guestFile(c, 0);
    const req = planUnify(c, 0, 'in-place', createNoProtection());
    const entryStat = assertOk(applyUnify(req));
    const after = guestFile(c, 0);
    assert.equal(after.ino, before.ino);
    assert.equal(entryStat.ino, before.ino);
    assert.equal(after.nlink, 2n);
    assert.equal(after.mtimeNs, before.mtimeNs, 'nothing was copied');
    const entryName = slotPath(c, req).slice(slotPath(c, req).lastIndexOf('/') + 1);
    assert.deepEqual(readdirSync(slotPath(c, req).slice(0, slotPath(c, req).lastIndexOf('/'))), [entryName], 'no temporary and no placeholder left');
  } finally {
    releaseCase(c);
  }
});

test('an existing entry: the second guest file is replaced by a link to it', () => {
  const c = createCase(2);
  try {
    const first = assertOk(applyUnify(planUnify(c, 0, 'copy', createNoProtection())));
    const before = guestFile(c, 1);
    const req = planUnify(c, 1, 'copy', createNoProtection());
    assert.equal(req.slot.kind, 'existing');
    const entryStat = assertOk(applyUnify(req));
    assert.equal(entryStat.ino, first.ino);
    assert.equal(guestFile(c, 1).ino, first.ino);
    assert.notEqual(before.ino, first.ino);
    assert.equal(lstatSync(slotPath(c, req)).nlink, 3, 'the entry and both guest names');
    assert.deepEqual(readdirSync(c.guests[1]!).sort(), ['file', 'neighbour']);
  } finally {
    releaseCase(c);
  }
});

test('a file changed after the walk is left alone and its new entry is removed', () => {
  const c = createCase(1);
  try {
    const req = planUnify(c, 0, 'copy', createNoProtection());
    appendFileSync(join(c.guests[0]!, 'file'), 'written by the guest meanwhile\n');
    const result = applyUnify(req);
    assert.deepEqual(result, {
      ok: false,
      messages: [Buffer.from("vhashify: '/file' changed while it was being hashified; it was left alone\n")],
    });
    assert.ok(!existsSync(slotPath(c, req)), 'the copy is removed');
    assert.equal(readFileSync(join(c.guests[0]!, 'file'), 'utf8'), `${CONTENT}written by the guest meanwhile\n`);
    assert.equal(guestFile(c, 0).ino, req.stat.ino);
  } finally {
    releaseCase(c);
  }
});

// The store root is a bind mount of a directory on the guests' file system: same st_dev, but
// link() between the two mounts fails with EXDEV (QUIRK Q21).
function createBindCase(guestCount: number): Case {
  const dir = join(base, `bind${counter++}`);
  mkdirSync(join(dir, 'store-real'), { recursive: true });
  mkdirSync(join(dir, 'store-bind'));
  createBindMount(join(dir, 'store-real'), join(dir, 'store-bind'));
  return createCase(guestCount, join(dir, 'store-bind'));
}

test('copy mode across a bind mount: link(): Invalid cross-device link, the copy is removed, the guest untouched', () => {
  const c = createBindCase(1);
  try {
    const before = guestFile(c, 0);
    const req = planUnify(c, 0, 'copy', createNoProtection());
    assert.equal(lstatSync(slotPath(c, req)).dev, lstatSync(join(c.guests[0]!, 'file')).dev, 'same device number');
    assert.deepEqual(applyUnify(req), { ok: false, messages: ['link(): Invalid cross-device link\n'] });
    assert.ok(!existsSync(slotPath(c, req)));
    assert.ok(listStore(c).every((p) => !p.includes('-0000')), `no entry or temporary: ${listStore(c).join(', ')}`);
    assertGuestUntouched(c, 0, before);
  } finally {
    releaseCase(c);
  }
});

test('in-place mode across a bind mount fails the same way and removes the placeholder', () => {
  const c = createBindCase(1);
  try {
    const before = guestFile(c, 0);
    const req = planUnify(c, 0, 'in-place', createNoProtection());
    assert.deepEqual(applyUnify(req), { ok: false, messages: ['link(): Invalid cross-device link\n'] });
    assert.ok(!existsSync(slotPath(c, req)));
    assert.ok(listStore(c).every((p) => !p.includes('-0000')), listStore(c).join(', '));
    assertGuestUntouched(c, 0, before);
  } finally {
    releaseCase(c);
  }
});

test('an existing entry across a bind mount stays, and the guest is untouched', () => {
  const c = createBindCase(1);
  try {
    const before = guestFile(c, 0);
    const req = planUnify(c, 0, 'copy', createNoProtection());
    // Put an entry there by hand (through the bind mount), then plan again: it is existing.
    writeFileWithMeta(slotPath(c, req), CONTENT, META);
    const again = planUnify(c, 0, 'copy', createNoProtection());
    assert.equal(again.slot.kind, 'existing');
    assert.deepEqual(applyUnify(again), { ok: false, messages: ['link(): Invalid cross-device link\n'] });
    assert.ok(existsSync(slotPath(c, again)));
    assertGuestUntouched(c, 0, before);
  } finally {
    releaseCase(c);
  }
});

test('a policy that refuses the link (vserver attributes cannot be set: a stock kernel) leaves no copy and the guest untouched', () => {
  const c = createCase(1);
  try {
    const protection = createVserverProtection();
    const before = guestFile(c, 0);
    const req = planUnify(c, 0, 'copy', protection);
    assert.deepEqual(applyUnify(req), { ok: false, messages: ['vc_set_iattr(): Function not implemented\n'], protectionFailed: false });
    assert.ok(!existsSync(slotPath(c, req)));
    assertGuestUntouched(c, 0, before);
  } finally {
    releaseCase(c);
  }
});

test('immutable: each new entry is locked as soon as the guest shares it; a second file lifts, links and locks again', () => {
  const c = createCase(3);
  try {
    const protection = createImmutableProtection([{ fd: c.store.fd }]);
    const first = planUnify(c, 0, 'copy', protection);
    const entry = join(c.storeRoot, first.slot.name.toString());
    assertOk(applyUnify(first));
    assert.ok(hasImmutableFlag(entry), 'locked before the next file is looked at');

    // A second file links to the already immutable entry: lift, link, lock again.
    const second = planUnify(c, 1, 'copy', protection);
    assert.equal(second.slot.kind, 'existing');
    assertOk(applyUnify(second));
    assert.equal(guestFile(c, 1).ino, lstatSync(entry, { bigint: true }).ino);
    assert.ok(hasImmutableFlag(entry), 'locked again after the link');
    assert.equal(lstatSync(entry).nlink, 3);
    assert.deepEqual(protection.finish(), []);

    for (const guest of c.guests.slice(0, 2)) {
      assert.throws(() => appendFileSync(join(guest, 'file'), 'tampering'), { code: 'EPERM' });
      assert.throws(() => writeFileSync(join(guest, 'file'), 'tampering'), { code: 'EPERM' });
    }
    assert.equal(readFileSync(entry, 'utf8'), CONTENT);
    // A guest file that was not linked stays writable.
    appendFileSync(join(c.guests[2]!, 'neighbour'), 'still writable\n');
  } finally {
    releaseCase(c);
    spawnSync('chattr', ['-R', '-i', c.dir]);
  }
});

test('immutable: an entry lifted for a link that then fails is locked again', () => {
  const c = createCase(2);
  try {
    const protection = createImmutableProtection([{ fd: c.store.fd }]);
    const first = planUnify(c, 0, 'copy', protection);
    const entry = join(c.storeRoot, first.slot.name.toString());
    assertOk(applyUnify(first));
    assert.ok(hasImmutableFlag(entry));
    const second = planUnify(c, 1, 'copy', protection);
    appendFileSync(join(c.guests[1]!, 'file'), 'changed after the walk\n');
    const result = applyUnify(second);
    assert.equal(result.ok, false);
    assert.ok(hasImmutableFlag(entry), 'the entry the first guest shares is protected again');
    assert.throws(() => appendFileSync(join(c.guests[0]!, 'file'), 'tampering'), { code: 'EPERM' });
  } finally {
    releaseCase(c);
    spawnSync('chattr', ['-R', '-i', c.dir]);
  }
});

test('immutable in-place mode locks the guest inode that became the entry', () => {
  const c = createCase(1);
  try {
    const protection = createImmutableProtection([{ fd: c.store.fd }]);
    const before = guestFile(c, 0);
    const req = planUnify(c, 0, 'in-place', protection);
    assertOk(applyUnify(req));
    assert.equal(guestFile(c, 0).ino, before.ino);
    assert.ok(hasImmutableFlag(join(c.guests[0]!, 'file')));
    assert.throws(() => appendFileSync(join(c.guests[0]!, 'file'), 'tampering'), { code: 'EPERM' });
  } finally {
    releaseCase(c);
    spawnSync('chattr', ['-R', '-i', c.dir]);
  }
});
