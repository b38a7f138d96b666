import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { JobProducer } from '../queue/job-producer.js';
import { JobName } from '../queue/queue-names.js';

type ScheduledJob =
  | JobName.CloseDuePetitions
  | JobName.SweepSignatures
  | JobName.ExpireUnconfirmed
  | JobName.ReconcileCounts
  | JobName.SnapshotCounts
  | JobName.DetectTrending
  | JobName.EraseExpiredPersonalData
  | JobName.RewrapDataKeys;

/** How often each repeating job runs. */
export function schedules(
  config: AppConfig,
): ReadonlyArray<{ job: ScheduledJob; everyMs: number }> {
  return [
    { job: JobName.CloseDuePetitions, everyMs: 10_000 },
    { job: JobName.SweepSignatures, everyMs: config.sweepIntervalSeconds * 1000 },
    { job: JobName.ExpireUnconfirmed, everyMs: 60_000 },
    { job: JobName.ReconcileCounts, everyMs: config.countReconcileIntervalSeconds * 1000 },
    { job: JobName.SnapshotCounts, everyMs: config.countSnapshotIntervalSeconds * 1000 },
    { job: JobName.DetectTrending, everyMs: config.trendingIntervalSeconds * 1000 },
    {
      job: JobName.EraseExpiredPersonalData,
      everyMs: config.retentionSweepIntervalSeconds * 1000,
    },
    { job: JobName.RewrapDataKeys, everyMs: config.keyRotationIntervalSeconds * 1000 },
  ];
}

const RETRY_MS = 5_000;
/** Schedulers live in Redis: re-registering now and then brings them back after Redis lost them. */
const REFRESH_MS = 15_000;

/**
 * Registers the repeating jobs when a worker starts, and again every 15 seconds. Upserting is
 * idempotent, so every worker may do it. If Redis is down, it keeps trying in the background.
 */
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MaintenanceScheduler.name);
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly producer: JobProducer,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.register();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async register(): Promise<void> {
    let next = REFRESH_MS;
    try {
      for (const { job, everyMs } of schedules(this.config)) {
        await this.producer.schedule(job, everyMs, {});
      }
    } catch (error) {
      this.logger.warn(`could not register job schedulers, retrying: ${(error as Error).message}`);
      next = RETRY_MS;
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.register(), next);
  }
}
