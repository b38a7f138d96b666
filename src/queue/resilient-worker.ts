import { type Processor, Worker, type WorkerOptions } from 'bullmq';
import type { RedisOptions } from 'bullmq';

/**
 * @nestjs/bullmq hands workers the queues' connection options, which are tuned for producers
 * (fail fast). A worker must instead wait out a Redis outage and carry on by itself.
 */
export class ResilientWorker extends Worker {
  constructor(name: string, processor: string | URL | null | Processor, opts: WorkerOptions) {
    const connection = opts.connection as RedisOptions;
    super(name, processor, {
      ...opts,
      connection: { ...connection, enableOfflineQueue: true, maxRetriesPerRequest: null },
    });
  }
}
