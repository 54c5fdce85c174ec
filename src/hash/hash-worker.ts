// A hashing thread: digests the files it is sent, through the same descriptors the main thread opened.
import { parentPort } from 'node:worker_threads';
import type { AlgorithmName } from './algorithms.js';
import { hashFile, type HashOutcome, type HashSubject } from './hash-file.js';

/** One file to hash; paths go through /proc/self/fd, which a worker thread shares with the process. */
export interface WorkerJob {
  procPath: Uint8Array;
  name: Uint8Array;
  subject: HashSubject;
  keepOpen: boolean;
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

parentPort?.on('message', (batch: WorkerBatch) => {
  const results = batch.jobs.map((job) =>
    hashFile(asBuffer(job.procPath), asBuffer(job.name), job.subject, batch.algorithm, batch.ignoreMtime, job.keepOpen),
  );
  const reply: WorkerReply = { id: batch.id, results };
  parentPort?.postMessage(reply);
});
