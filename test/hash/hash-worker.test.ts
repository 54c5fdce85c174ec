// One job of a hashing thread: the digest, and in copy mode the prepared copy.
import assert from 'node:assert/strict';
import { fstatSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
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

test('with a copy plan, a job returns the same digest plus a copy of the file, and keeps no descriptor open', () => {
  const rootPath = `${base}/root/`;
  mkdirSync(`${rootPath}.vhashify-tmp`, { recursive: true });
  const file = join(base, 'file');
  const stat = writeFileWithMeta(file, 'content to be copied ahead\n', { uid: 0, gid: 0, mode: 0o644, mtime: new Date(1_400_000_000_000) });
  const job = { procPath: Buffer.from(file), name: Buffer.from('file'), subject: stat, keepOpen: false };
  const plain = hashFile(job.procPath, job.name, stat, 'sha1', false);
  const before = openSync('/dev/null', 'r');
  const outcome = runJob({ ...job, copy: { rootPath, tempDir: `${rootPath}.vhashify-tmp` } }, 'sha1', false);
  const after = openSync('/dev/null', 'r');
  assert.equal(after, before + 1, 'the file was closed again');
  assert.ok(outcome.ok && plain.ok);
  assert.deepEqual(outcome.digest, plain.digest);
  assert.equal('fd' in outcome, false);
  assert.ok(outcome.copy !== undefined);
  assert.equal(readFileSync(outcome.copy, 'utf8'), 'content to be copied ahead\n');
  assert.equal(fstatSync(openSync(outcome.copy, 'r')).size, 27);

  // The slot is taken now: the next identical file gets no copy.
  const slotDir = `${rootPath}${plain.digest.toString('hex').slice(0, 2)}/${plain.digest.toString('hex').slice(2, 4)}`;
  writeFileSync(`${slotDir}/${plain.digest.toString('hex').slice(4)}-00000000`, 'taken');
  const second = runJob({ ...job, copy: { rootPath, tempDir: `${rootPath}.vhashify-tmp` } }, 'sha1', false);
  assert.ok(second.ok);
  assert.equal(second.copy, undefined);
});
