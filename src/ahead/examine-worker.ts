// A hashing thread: examines the files it is sent, through the directory descriptors the main
// thread holds open (descriptors belong to the process, so every thread can use them).
import { parentPort } from 'node:worker_threads';
import type { AlgorithmName } from '../hash/algorithms.js';
import { closeFd } from '../sys/open-at.js';
import { examineFile, type Examined } from './examine-file.js';
import { packAnswers, transferOf, unpackJobs, type Job, type PackedAnswers, type PackedJobs } from './job-batch.js';
import { prepareAhead, type Prepared } from './prepare-ahead.js';

/** A batch of jobs (batches keep message overhead low for many small files). */
export interface WorkerBatch {
  id: number;
  algorithm: AlgorithmName;
  ignoreMtime: boolean;
  jobs: PackedJobs;
}

/** The answers, in job order. */
export interface WorkerReply {
  id: number;
  answers: PackedAnswers;
}

/** Examines one job and, with a plan, prepares the commit's work while the file is open and cached. */
export function runJob(job: Job, algorithm: AlgorithmName, ignoreMtime: boolean): Examined {
  const outcome = examineFile(job.dirFd, job.name, job.subject, algorithm, ignoreMtime, job.ahead !== undefined);
  if (!outcome.ok || job.ahead === undefined || outcome.fd === undefined) return outcome;
  const { fd, ...result } = outcome;
  let ahead: Prepared = {};
  try {
    ahead = prepareAhead(fd, job.subject, outcome.digest, job.ahead);
  } catch {
    ahead = {};
  } finally {
    closeFd(fd);
  }
  return ahead.copy === undefined && ahead.sameAs === undefined ? result : { ...result, ahead };
}

parentPort?.on('message', (batch: WorkerBatch) => {
  const answers = packAnswers(unpackJobs(batch.jobs).map((job) => runJob(job, batch.algorithm, batch.ignoreMtime)));
  const reply: WorkerReply = { id: batch.id, answers };
  parentPort?.postMessage(reply, transferOf(answers as unknown as Record<string, unknown>));
});
