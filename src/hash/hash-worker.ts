// A hashing thread: digests the files it is sent, through the same descriptors the main thread opened.
import { parentPort } from 'node:worker_threads';
import type { AlgorithmName } from './algorithms.js';
import { closeSync } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { prepareAhead, type AheadPlan, type Prepared } from '../unify/prepare-ahead.js';
import { hashFile, type HashOutcome, type HashSubject } from './hash-file.js';

/** One file to hash; paths go through /proc/self/fd, which a worker thread shares with the process. */
export interface WorkerJob {
  procPath: Uint8Array;
  name: Uint8Array;
  subject: HashSubject;
  keepOpen: boolean;
  /** Prepare the commit's file-sized work (unify/prepare-ahead.ts). */
  ahead?: AheadPlan;
}

/** A batch of jobs (batches keep message overhead low for many small files). */
export interface WorkerBatch {
  id: number;
  algorithm: AlgorithmName;
  ignoreMtime: boolean;
  jobs: WorkerJob[];
}

/** The answers, in job order. */
export interface WorkerReply {
  id: number;
  results: HashOutcome[];
}

const asBuffer = (u8: Uint8Array): Buffer => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);

/** Hashes one job and, with a plan, prepares the commit's work while the file is open and cached. */
export function runJob(job: WorkerJob, algorithm: AlgorithmName, ignoreMtime: boolean): HashOutcome {
  const keepOpen = job.keepOpen || job.ahead !== undefined;
  const outcome = hashFile(asBuffer(job.procPath), asBuffer(job.name), job.subject, algorithm, ignoreMtime, keepOpen);
  if (!outcome.ok || job.ahead === undefined || outcome.fd === undefined) return outcome;
  const { fd, ...result } = outcome;
  let ahead: Prepared = {};
  try {
    // The subject is a BigIntStats cloned into this thread, times included.
    ahead = prepareAhead(fd, job.subject as BigIntStats, outcome.digest, job.ahead);
  } catch {
    ahead = {};
  }
  const done = ahead.copy === undefined && ahead.sameAs === undefined ? {} : { ahead };
  if (job.keepOpen) return { ...outcome, ...done };
  closeSync(fd);
  return { ...result, ...done };
}

parentPort?.on('message', (batch: WorkerBatch) => {
  const results = batch.jobs.map((job) => runJob(job, batch.algorithm, batch.ignoreMtime));
  const reply: WorkerReply = { id: batch.id, results };
  parentPort?.postMessage(reply);
});
