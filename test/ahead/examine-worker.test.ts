// One job of a hashing thread: the digest, and what it prepares ahead for the commit.
import assert from 'node:assert/strict';
import { closeSync, lstatSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { hashFile } from '../../src/hash/hash-file.js';
import { runJob } from '../../src/hash/hash-worker.js';
import { createTmpfsDir, removeTmpfsDir } from '../store/tmpfs-fixture.js';
import { writeFileWithMeta } from '../unify/file-fixture.js';

let base = '';
before(() => {
  base = createTmpfsDir('hash-worker', '16m');
});
after(() => {
  if (base !== '') removeTmpfsDir(base);
});

function nextFreeDescriptor(): number {
  const fd = openSync('/dev/null', 'r');
  closeSync(fd);
  return fd;
}

test('a job with a plan: same digest; a copy while the slot is free, a byte comparison once it is taken; no descriptor kept', () => {
  const rootPath = `${base}/root/`;
  const tempDir = `${rootPath}.vhashify-tmp`;
  mkdirSync(tempDir, { recursive: true });
  const meta = { uid: 0, gid: 0, mode: 0o644, mtime: new Date(1_400_000_000_000) };
  const file = join(base, 'file');
  const stat = writeFileWithMeta(file, 'content to be copied ahead\n', meta);
  const job = { procPath: Buffer.from(file), name: Buffer.from('file'), subject: stat, keepOpen: false };
  const plain = hashFile(job.procPath, job.name, stat, 'sha1', false);
  assert.ok(plain.ok);

  const free = nextFreeDescriptor();
  const first = runJob({ ...job, ahead: { rootPath, tempDir, ignoreMtime: false } }, 'sha1', false);
  assert.equal(nextFreeDescriptor(), free, 'the file was closed again');
  assert.ok(first.ok);
  assert.deepEqual(first.digest, plain.digest);
  assert.equal('fd' in first, false);
  const copy = first.ahead?.copy;
  assert.ok(copy !== undefined);
  assert.equal(readFileSync(copy, 'utf8'), 'content to be copied ahead\n');

  // The copy becomes the entry; an identical file is now compared with it instead.
  const hex = plain.digest.toString('hex');
  const entry = `${rootPath}${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex.slice(4)}-00000000`;
  writeFileSync(entry, readFileSync(copy));
  const twin = join(base, 'twin');
  const twinStat = writeFileWithMeta(twin, 'content to be copied ahead\n', meta);
  writeFileWithMeta(entry, 'content to be copied ahead\n', meta);
  const second = runJob({ procPath: Buffer.from(twin), name: Buffer.from('twin'), subject: twinStat, keepOpen: false, ahead: { rootPath, tempDir, ignoreMtime: false } }, 'sha1', false);
  assert.ok(second.ok);
  const entryStat = lstatSync(entry, { bigint: true });
  assert.deepEqual(second.ahead, { sameAs: { ino: entryStat.ino, ctimeNs: entryStat.ctimeNs } });

  // Same digest, other bytes in the entry (a collision, or a store entry changed in place): no verdict.
  writeFileWithMeta(entry, 'content to be copied ahear\n', meta);
  const third = runJob({ procPath: Buffer.from(twin), name: Buffer.from('twin'), subject: twinStat, keepOpen: false, ahead: { rootPath, tempDir, ignoreMtime: false } }, 'sha1', false);
  assert.ok(third.ok);
  assert.equal(third.ahead, undefined);
  assert.equal(nextFreeDescriptor(), free);
});
