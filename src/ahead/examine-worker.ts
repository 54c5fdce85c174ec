// A hashing thread: examines the files it is sent, through the directory descriptors the main
// thread holds open (descriptors belong to the process, so every thread can use them).
import { parentPort } from 'node:worker_threads';
import type { AlgorithmName } from '../hash/algorithms.js';
import { closeFd } from '../sys/open-at.js';
import { examineFile, type Examined, type HashSubject } from './examine-file.js';
import { prepareAhead, type AheadPlan, type Prepared } from './prepare-ahead.js';
import type { CopySubject } from '../unify/copy-to-store.js';

/** One file to examine: its directory's descriptor and its name. */
export interface WorkerJob {
  dirFd: number;
  name: Uint8Array;
  subject: HashSubject & CopySubject;
  keepOpen: boolean;
  /** Prepare the commit's file-sized work (prepare-ahead.ts). */
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
  results: Examined[];
}

const asBuffer = (u8: Uint8Array): Buffer => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);

/** Examines one job and, with a plan, prepares the commit's work while the file is open and cached. */
export function runJob(job: WorkerJob, algorithm: AlgorithmName, ignoreMtime: boolean): Examined {
  const keepOpen = job.keepOpen || job.ahead !== undefined;
  const outcome = examineFile(job.dirFd, asBuffer(job.name), job.subject, algorithm, ignoreMtime, keepOpen);
  if (!outcome.ok || job.ahead === undefined || outcome.fd === undefined) return outcome;
  const { fd, ...result } = outcome;
  let ahead: Prepared = {};
  try {
    ahead = prepareAhead(fd, job.subject, outcome.digest, job.ahead);
  } catch {
    ahead = {};
  }
  const done = ahead.copy === undefined && ahead.sameAs === undefined ? {} : { ahead };
  if (job.keepOpen) return { ...outcome, ...done };
  closeFd(fd);
  return { ...result, ...done };
}

parentPort?.on('message', (batch: WorkerBatch) => {
  const results = batch.jobs.map((job) => runJob(job, batch.algorithm, batch.ignoreMtime));
  const reply: WorkerReply = { id: batch.id, results };
  parentPort?.postMessage(reply);
});
