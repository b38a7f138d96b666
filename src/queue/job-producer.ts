import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import type { JobPayload } from './job-payloads.js';
import { JOB_QUEUE, JobName, QueueName } from './queue-names.js';

/** Redis being down must not hold up a request: the sweepers re-enqueue what could not be sent. */
const ENQUEUE_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The one way to put work on a queue. Call it after the transaction that made the work has
 * committed; use the row id as `jobId` so a repeat enqueue of the same work is a no-op.
 */
@Injectable()
export class JobProducer {
  private readonly queues: Record<QueueName, Queue>;

  constructor(@InjectQueue(QueueName.Maintenance) maintenance: Queue) {
    this.queues = { [QueueName.Maintenance]: maintenance };
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options: JobsOptions = {},
  ): Promise<void> {
    await withTimeout(this.queue(name).add(name, payload, options), ENQUEUE_TIMEOUT_MS);
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
}
