import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packAnswers, packJobs, transferOf, unpackAnswers, unpackJobs, type Job } from '../../src/ahead/job-batch.js';
import type { Examined } from '../../src/ahead/examine-file.js';

const subject = (n: bigint) => ({
  dev: 0x803n, ino: 2n ** 60n + n, size: 12345n + n, mode: 0o100644n, uid: 4294967294n, gid: 100n, rdev: 0n,
  mtimeNs: -1_500_000_000_123_456_789n, atimeNs: 1_700_000_000_000_000_001n,
});

test('jobs survive packing byte for byte: descriptors, every stat field (negative times, big inodes), names, plans', () => {
  const jobs: Job[] = [
    { dirFd: 17, name: Buffer.from([0x61, 0xff, 0x0a]), subject: subject(1n) },
    { dirFd: 18, name: Buffer.from('second'), subject: subject(2n), ahead: { rootFd: 9, copy: true, ignoreMtime: false } },
    { dirFd: 19, name: Buffer.alloc(0), subject: subject(3n), ahead: { rootFd: 10, copy: false, ignoreMtime: true } },
  ];
  const packed = packJobs(jobs);
  assert.ok(transferOf(packed as unknown as Record<string, unknown>).length >= 5, 'the typed arrays are transferred');
  const cloned = structuredClone(packed);
  assert.deepEqual(unpackJobs(cloned).map((j) => ({ ...j, name: Buffer.from(j.name) })), jobs);
});

test('answers survive packing: digests, prepared copies, comparisons, failures with their lines, attribute skips', () => {
  const digest = (b: number) => Buffer.alloc(20, b);
  const results: Examined[] = [
    { ok: true, digest: digest(1) },
    { ok: true, digest: digest(2), ahead: { copy: Buffer.from('.vhashify-tmp/copy;AbC123') } },
    { ok: false, messages: [Buffer.from("Failed to open 'x': Permission denied\n")] },
    { ok: true, digest: digest(3), ahead: { sameAs: { ino: 77n, ctimeNs: 123n } } },
    { ok: false, messages: [], skip: 'extended attributes' },
  ];
  assert.deepEqual(unpackAnswers(structuredClone(packAnswers(results))), results);
});
