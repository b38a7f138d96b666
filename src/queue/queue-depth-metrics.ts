import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Metrics } from '../common/metrics/metrics.js';
import { QueueName } from './queue-names.js';

/** The states reported; `completed` is left out, as finished keyed jobs are removed at once. */
const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

/**
 * Reads each queue's depth and the age of its oldest waiting job from Redis when the metrics are
 * scraped. Redis is shared, so every process that serves them reports the same values (aggregate
 * them with `max`, not `sum`). While Redis is down the read fails fast and the gauges are cleared.
 */
@Injectable()
export class QueueDepthMetrics implements OnModuleInit {
  private readonly queues: Queue[];

  constructor(
    private readonly metrics: Metrics,
    @InjectQueue(QueueName.Maintenance) maintenance: Queue,
    @InjectQueue(QueueName.Mail) mail: Queue,
    @InjectQueue(QueueName.Verification) verification: Queue,
  ) {
    this.queues = [maintenance, mail, verification];
  }

  onModuleInit(): void {
    this.metrics.onScrape(() => this.read());
  }

  private async read(): Promise<void> {
    const now = Date.now();
    const readings = await Promise.all(
      this.queues.map(async (queue) => {
        const [counts, oldest] = await Promise.all([
          queue.getJobCounts(...STATES),
          queue.getWaiting(0, 0),
        ]);
        return { queue: queue.name, counts, oldest: oldest[0] };
      }),
    ).catch(() => null);
    this.metrics.queueJobs.reset();
    this.metrics.queueOldestWaitingSeconds.reset();
    if (readings === null) return;
    for (const { queue, counts, oldest } of readings) {
      for (const state of STATES) this.metrics.queueJobs.set({ queue, state }, counts[state] ?? 0);
      const age = oldest ? (now - oldest.timestamp - (oldest.opts.delay ?? 0)) / 1000 : 0;
      this.metrics.queueOldestWaitingSeconds.set({ queue }, Math.max(0, age));
    }
  }
}
