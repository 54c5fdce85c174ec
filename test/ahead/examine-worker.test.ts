// One job of a hashing thread: the digest, and what it prepares ahead for the commit.
import assert from 'node:assert/strict';
import { closeSync, lstatSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { examineFile } from '../../src/ahead/examine-file.js';
import { runJob } from '../../src/ahead/examine-worker.js';
import { AT_FDCWD, O_DIRECTORY, O_RDONLY, O_WRONLY } from '../../src/sys/constants.js';
import { closeFd, openAt } from '../../src/sys/open-at.js';
import { setXattr } from '../../src/sys/xattrs.js';
import { createTmpfsDir, removeTmpfsDir } from '../store/tmpfs-fixture.js';
import { writeFileWithMeta } from '../unify/file-fixture.js';

let base = '';
const fds: number[] = [];
before(() => {
  base = createTmpfsDir('examine-worker', '16m');
});
after(() => {
  for (const fd of fds) closeFd(fd);
  if (base !== '') removeTmpfsDir(base);
});

function nextFreeDescriptor(): number {
  const fd = openSync('/dev/null', 'r');
  closeSync(fd);
  return fd;
}

function openDir(path: string): number {
  const fd = openAt(AT_FDCWD, Buffer.from(path), O_RDONLY | O_DIRECTORY);
  fds.push(fd);
  return fd;
}

test('a job with a plan: same digest; a copy while the slot is free, a byte comparison once it is taken; no descriptor kept', () => {
  const rootPath = `${base}/root/`;
  mkdirSync(`${rootPath}.vhashify-tmp`, { recursive: true });
  const rootFd = openDir(rootPath);
  const dirFd = openDir(base);
  const meta = { uid: 0, gid: 0, mode: 0o644, mtime: new Date(1_400_000_000_000) };
  const stat = writeFileWithMeta(join(base, 'file'), 'content to be copied ahead\n', meta);
  const job = { dirFd, name: Buffer.from('file'), subject: stat };
  const plain = examineFile(dirFd, job.name, stat, 'sha1', false);
  assert.ok(plain.ok);

  const free = nextFreeDescriptor();
  const plan = { rootFd, copy: true, ignoreMtime: false };
  const first = runJob({ ...job, ahead: plan }, 'sha1', false);
  assert.equal(nextFreeDescriptor(), free, 'the file was closed again');
  assert.ok(first.ok);
  assert.deepEqual(first.digest, plain.digest);
  assert.equal('fd' in first, false);
  const copy = first.ahead?.copy;
  assert.ok(copy !== undefined);
  assert.equal(readFileSync(join(rootPath, copy.toString()), 'utf8'), 'content to be copied ahead\n');

  // The copy becomes the entry; an identical file is now compared with it instead.
  const hex = plain.digest.toString('hex');
  const entry = `${rootPath}${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex.slice(4)}-00000000`;
  writeFileSync(entry, readFileSync(join(rootPath, copy.toString())));
  const twinStat = writeFileWithMeta(join(base, 'twin'), 'content to be copied ahead\n', meta);
  writeFileWithMeta(entry, 'content to be copied ahead\n', meta);
  const second = runJob({ dirFd, name: Buffer.from('twin'), subject: twinStat, ahead: plan }, 'sha1', false);
  assert.ok(second.ok);
  const entryStat = lstatSync(entry, { bigint: true });
  assert.deepEqual(second.ahead, { sameAs: { ino: entryStat.ino, ctimeNs: entryStat.ctimeNs } });

  // Same digest, other bytes in the entry (a collision, or a store entry changed in place): no verdict.
  writeFileWithMeta(entry, 'content to be copied ahear\n', meta);
  const third = runJob({ dirFd, name: Buffer.from('twin'), subject: twinStat, ahead: plan }, 'sha1', false);
  assert.ok(third.ok);
  assert.equal(third.ahead, undefined);
  assert.equal(nextFreeDescriptor(), free);
});

test('a file with extended attributes other than its SELinux label is not hashed: skipped for its attributes', () => {
  const dirFd = openDir(base);
  const stat = writeFileWithMeta(join(base, 'capable'), 'a binary with a file capability\n', { uid: 0, gid: 0, mode: 0o755, mtime: new Date(1_400_000_000_000) });
  const fd = openAt(AT_FDCWD, Buffer.from(join(base, 'capable')), O_WRONLY);
  try {
    setXattr(fd, 'user.origin', Buffer.from('the guest'));
  } finally {
    closeFd(fd);
  }
  assert.deepEqual(examineFile(dirFd, Buffer.from('capable'), stat, 'sha1', false), { ok: false, messages: [], skip: 'extended attributes' });
  const labelled = writeFileWithMeta(join(base, 'labelled'), 'a file with only an SELinux label\n', { uid: 0, gid: 0, mode: 0o644, mtime: new Date(1_400_000_000_000) });
  const lfd = openAt(AT_FDCWD, Buffer.from(join(base, 'labelled')), O_WRONLY);
  try {
    setXattr(lfd, 'security.selinux', Buffer.from('system_u:object_r:etc_t:s0\0'));
  } finally {
    closeFd(lfd);
  }
  assert.equal(examineFile(dirFd, Buffer.from('labelled'), labelled, 'sha1', false).ok, true);
});
