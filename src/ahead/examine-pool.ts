// Examining ahead of the commit point: a few worker threads, fed in batches, answering in any order.
import { Worker } from 'node:worker_threads';
import type { AlgorithmName } from '../hash/algorithms.js';
import type { Examined } from './examine-file.js';
import { runJob, type WorkerBatch, type WorkerReply } from './examine-worker.js';
import { packJobs, transferOf, unpackAnswers, type Job } from './job-batch.js';

/** One file to examine: its open directory (the caller keeps it open until the answer), name and plan. */
export type ExamineRequest = Job;

const BATCH_FILES = 32;
const BATCH_BYTES = 8 * 1024 * 1024;
/** Below this much work a run never starts threads: small trees finish before a thread would start. */
const WARMUP_FILES = 64;

interface Slot {
  worker: Worker;
  outstandingBytes: number;
}

/**
 * Examines files on `threads` worker threads. The first WARMUP_FILES files are examined inline, so a
 * small run pays no thread start-up. Answers come back in any
 * order; callers commit in their own.
 */
export class ExaminePool {
  private slots: Slot[] = [];
  private batch: { jobs: Job[]; resolvers: Array<(r: Examined) => void>; bytes: number } = { jobs: [], resolvers: [], bytes: 0 };
  private waiting = new Map<number, { resolvers: Array<(r: Examined) => void>; slot: Slot; bytes: number }>();
  private nextId = 1;
  private submitted = 0;
  private flushScheduled = false;

  constructor(
    private readonly threads: number,
    private readonly algorithm: AlgorithmName,
    private readonly ignoreMtime: boolean,
  ) {}

  /** Examines one file; resolves with the digest (and the open descriptor when asked to keep it). */
  submit(req: ExamineRequest): Promise<Examined> {
    this.submitted += 1;
    if (this.threads === 0 || this.submitted <= WARMUP_FILES) {
      // Inline, the same job a thread would run: what is prepared ahead is prepared here too.
      return Promise.resolve(runJob(req, this.algorithm, this.ignoreMtime));
    }
    return new Promise((resolve) => {
      this.batch.jobs.push(req);
      this.batch.resolvers.push(resolve);
      this.batch.bytes += Number(req.subject.size);
      if (this.batch.jobs.length >= BATCH_FILES || this.batch.bytes >= BATCH_BYTES) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          this.flush();
        });
      }
    });
  }

  /** Sends what is batched to the least busy thread. */
  flush(): void {
    if (this.batch.jobs.length === 0) return;
    const { jobs, resolvers, bytes } = this.batch;
    this.batch = { jobs: [], resolvers: [], bytes: 0 };
    const slot = this.pickSlot();
    const id = this.nextId++;
    slot.outstandingBytes += bytes + jobs.length * 4096;
    this.waiting.set(id, { resolvers, slot, bytes: bytes + jobs.length * 4096 });
    const packed = packJobs(jobs);
    const message: WorkerBatch = { id, algorithm: this.algorithm, ignoreMtime: this.ignoreMtime, jobs: packed };
    slot.worker.postMessage(message, transferOf(packed as unknown as Record<string, unknown>));
  }

  /** Stops the threads (after every answer has arrived). */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
  }

  private pickSlot(): Slot {
    if (this.slots.length < this.threads) {
      // A small young generation, like the main thread's (bin/vhashify): flat memory at any scale.
      const worker = new Worker(new URL('./examine-worker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 6 } });
      const slot: Slot = { worker, outstandingBytes: 0 };
      worker.on('message', (reply: WorkerReply) => this.receive(reply));
      this.slots.push(slot);
      return slot;
    }
    return this.slots.reduce((a, b) => (b.outstandingBytes < a.outstandingBytes ? b : a));
  }

  private receive(reply: WorkerReply): void {
    const entry = this.waiting.get(reply.id);
    if (entry === undefined) return;
    this.waiting.delete(reply.id);
    entry.slot.outstandingBytes -= entry.bytes;
    unpackAnswers(reply.answers).forEach((result, i) => entry.resolvers[i]!(result));
  }
}
