import { WorkerHost } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Job, Worker } from 'bullmq';
import { Metrics } from '../common/metrics/metrics.js';

/**
 * Counts what this process's workers do with each job attempt (completed, retried, or failed for
 * good) and how long jobs waited for their first start. These are per process: in a deployment
 * with separate worker processes, each worker process exposes its own (see WORKER_METRICS_PORT),
 * while the queue depths, failed jobs included, are read from Redis by every API process.
 */
@Injectable()
export class JobOutcomeMetrics implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (instance instanceof WorkerHost) this.watch(instance.worker);
    }
  }

  private watch(worker: Worker): void {
    const queue = worker.name;
    const outcomes = {
      completed: this.metrics.jobOutcomes.labels(queue, 'completed'),
      retried: this.metrics.jobOutcomes.labels(queue, 'retried'),
      failed: this.metrics.jobOutcomes.labels(queue, 'failed'),
    };
    for (const counter of Object.values(outcomes)) counter.inc(0);
    const waited = this.metrics.queueJobWaitSeconds.labels(queue);
    worker.on('active', (job: Job) => {
      // The first attempt only: a retry's wait would include its earlier attempts and backoff.
      if (job.attemptsMade > 0) return;
      const ready = job.timestamp + (job.opts.delay ?? 0);
      waited.observe(Math.max(0, (job.processedOn ?? Date.now()) - ready) / 1000);
    });
    worker.on('completed', () => outcomes.completed.inc());
    // BullMQ sets finishedOn only when the job has no attempt left (or failed unrecoverably).
    worker.on('failed', (job: Job | undefined) =>
      (job === undefined || job.finishedOn ? outcomes.failed : outcomes.retried).inc(),
    );
  }
}
