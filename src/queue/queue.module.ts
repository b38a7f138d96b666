import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { JobProducer } from './job-producer.js';
import { QUEUE_NAMES } from './queue-names.js';
import { producerRedisOptions } from './redis-options.js';
import { ResilientWorker } from './resilient-worker.js';

BullModule.workerClass = ResilientWorker;

/** BullMQ on one Redis connection setup, namespaced by QUEUE_PREFIX. */
@Global()
@Module({})
export class QueueModule {
  static forRoot(config: AppConfig): DynamicModule {
    ResilientWorker.lockDurationMs = config.jobLockSeconds * 1000;
    const queues = BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name })));
    return {
      module: QueueModule,
      imports: [
        BullModule.forRoot({
          connection: producerRedisOptions(config.redisUrl),
          prefix: config.queuePrefix,
          defaultJobOptions: {
            attempts: config.jobAttempts,
            backoff: { type: 'exponential', delay: 1_000 },
            removeOnComplete: { age: 3600, count: 1000 },
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        }),
        queues,
      ],
      providers: [JobProducer],
      exports: [JobProducer, queues],
    };
  }
}
