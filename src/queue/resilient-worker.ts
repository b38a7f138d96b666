import { Logger } from '@nestjs/common';
import { type Processor, Worker, type WorkerOptions } from 'bullmq';
import type { RedisOptions } from 'bullmq';

/**
 * @nestjs/bullmq hands workers the queues' connection options, which are tuned for producers
 * (fail fast). A worker must instead wait out a Redis outage and carry on by itself.
 */
export class ResilientWorker extends Worker {
  /**
   * How long a running job's lock lasts without renewal. A worker that dies mid-job stops renewing
   * it; after this long (checked as often) the job is handed to another worker. Set at boot from
   * JOB_LOCK_SECONDS.
   */
  static lockDurationMs = 30_000;

  constructor(name: string, processor: string | URL | null | Processor, opts: WorkerOptions) {
    const connection = opts.connection as RedisOptions;
    super(name, processor, {
      lockDuration: ResilientWorker.lockDurationMs,
      stalledInterval: ResilientWorker.lockDurationMs,
      ...opts,
      connection: { ...connection, enableOfflineQueue: true, maxRetriesPerRequest: null },
    });
    // Without a listener BullMQ prints its errors (Redis gone, a job's keys lost) with
    // console.error; this sends them through the structured log instead.
    const logger = new Logger(`Worker:${name}`);
    this.on('error', (error) => logger.warn(`worker error: ${error.message}`));
  }
}
