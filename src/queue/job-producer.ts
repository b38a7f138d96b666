import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import type { JobPayload } from './job-payloads.js';
import { JOB_QUEUE, JobName, QueueName } from './queue-names.js';

/** Redis being down must not hold up a request: the sweepers re-enqueue what could not be sent. */
const ENQUEUE_TIMEOUT_MS = 2_000;
/** Jobs enqueued "soon" are sent together: one round trip for many signatures. */
const BATCH_DELAY_MS = 2;
const BATCH_MAX = 500;

function keyedOptions(jobId: string): JobsOptions {
  return { jobId, removeOnComplete: true };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A job keyed by the id of the row it works on: adding it twice while it waits or runs is a
 * no-op. It is removed once done, so that the row can be worked on again later (a signature that
 * starts over) under the same id; the row's events, not Redis, are its history.
 */
export interface KeyedJob<N extends JobName> {
  id: string;
  payload: JobPayload<N>;
}

interface Buffered {
  queue: Queue;
  jobs: Array<{ name: JobName; data: unknown; opts: JobsOptions }>;
  timer?: NodeJS.Timeout;
}

/**
 * The one way to put work on a queue. Call it after the transaction that made the work has
 * committed; use the row id as `jobId` so a repeat enqueue of the same work is a no-op.
 */
@Injectable()
export class JobProducer implements OnApplicationShutdown {
  private readonly logger = new Logger(JobProducer.name);
  private readonly queues: Record<QueueName, Queue>;
  private readonly buffers = new Map<QueueName, Buffered>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @InjectQueue(QueueName.Maintenance) maintenance: Queue,
    @InjectQueue(QueueName.Mail) mail: Queue,
    @InjectQueue(QueueName.Verification) verification: Queue,
  ) {
    this.queues = {
      [QueueName.Maintenance]: maintenance,
      [QueueName.Mail]: mail,
      [QueueName.Verification]: verification,
    };
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options: JobsOptions = {},
  ): Promise<void> {
    await withTimeout(this.queue(name).add(name, payload, options), ENQUEUE_TIMEOUT_MS);
  }

  /**
   * Many keyed jobs in one round trip. A `priority` puts them behind jobs that have none (BullMQ
   * takes those first): for bulk work that must not hold up a signer's own.
   */
  async enqueueMany<N extends JobName>(
    name: N,
    jobs: ReadonlyArray<KeyedJob<N>>,
    options: Pick<JobsOptions, 'priority'> = {},
  ): Promise<void> {
    for (let i = 0; i < jobs.length; i += BATCH_MAX) {
      const chunk = jobs.slice(i, i + BATCH_MAX);
      await withTimeout(
        this.queue(name).addBulk(
          chunk.map((job) => ({
            name,
            data: job.payload,
            opts: { ...keyedOptions(job.id), ...options },
          })),
        ),
        ENQUEUE_TIMEOUT_MS,
      );
    }
  }

  /**
   * Enqueues a keyed job within a few milliseconds, batched with others, without making the caller
   * wait for Redis. A failure is logged only: the row is in PostgreSQL and the sweeper finds it.
   */
  enqueueSoon<N extends JobName>(name: N, job: KeyedJob<N>): void {
    const queueName = JOB_QUEUE[name];
    let buffer = this.buffers.get(queueName);
    if (!buffer) {
      buffer = { queue: this.queues[queueName], jobs: [] };
      this.buffers.set(queueName, buffer);
    }
    buffer.jobs.push({ name, data: job.payload, opts: keyedOptions(job.id) });
    if (buffer.jobs.length >= BATCH_MAX) this.flush(queueName);
    else buffer.timer ??= setTimeout(() => this.flush(queueName), BATCH_DELAY_MS);
  }

  /**
   * For sweepers: makes sure each of these keyed jobs is waiting, delayed or running, and adds
   * the rest. Returns those it added.
   */
  async ensureLive<N extends JobName>(
    name: N,
    jobs: ReadonlyArray<KeyedJob<N>>,
  ): Promise<Array<KeyedJob<N>>> {
    const missing = await this.notLive(name, jobs);
    await this.addAgain(name, missing);
    return missing;
  }

  /**
   * Those of these keyed jobs that are neither waiting, delayed nor running:
   * - 'unknown': on no list. Usually the job is gone, but Redis can also lose a list and keep the
   *   job's hash (eviction, a partial flush).
   * - 'failed' / 'completed': finished without moving its row on (retries used up while
   *   PostgreSQL was away, or a job that keeps failing).
   */
  async notLive<N extends JobName>(
    name: N,
    jobs: ReadonlyArray<KeyedJob<N>>,
  ): Promise<Array<KeyedJob<N>>> {
    const queue = this.queue(name);
    const states = await Promise.all(jobs.map((job) => queue.getJobState(job.id)));
    return jobs.filter((_, i) => ['unknown', 'failed', 'completed'].includes(states[i]));
  }

  /**
   * Adds jobs that `notLive` found, afresh under the same ids. What is left of an earlier one (a
   * failed job, or a remnant hash, under which adding would be a silent no-op) is removed first.
   */
  async addAgain<N extends JobName>(
    name: N,
    jobs: ReadonlyArray<KeyedJob<N>>,
    options: Pick<JobsOptions, 'priority'> = {},
  ): Promise<void> {
    const queue = this.queue(name);
    for (const job of jobs) await (await queue.getJob(job.id))?.remove();
    await this.enqueueMany(name, jobs, options);
  }

  /** Registers (or updates) a repeating job; safe to call from every worker at every start. */
  async schedule<N extends JobName>(
    name: N,
    everyMs: number,
    payload: JobPayload<N>,
  ): Promise<void> {
    await this.queue(name).upsertJobScheduler(name, { every: everyMs }, { name, data: payload });
  }

  queue(name: JobName): Queue {
    return this.queues[JOB_QUEUE[name]];
  }

  /** Sends what is still buffered before the process exits. */
  async onApplicationShutdown(): Promise<void> {
    for (const queueName of this.buffers.keys()) this.flush(queueName);
    await Promise.allSettled([...this.inFlight]);
  }

  private flush(queueName: QueueName): void {
    const buffer = this.buffers.get(queueName);
    if (!buffer || buffer.jobs.length === 0) return;
    clearTimeout(buffer.timer);
    buffer.timer = undefined;
    const jobs = buffer.jobs;
    buffer.jobs = [];
    const sending = withTimeout(buffer.queue.addBulk(jobs), ENQUEUE_TIMEOUT_MS)
      .then(() => undefined)
      .catch((error: Error) => {
        this.logger.warn(
          `could not enqueue ${jobs.length} ${queueName} job(s); the sweeper will: ${error.message}`,
        );
      });
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
  }
}
