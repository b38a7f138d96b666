import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { JobProducer } from '../queue/job-producer.js';
import { JobName } from '../queue/queue-names.js';

/** How often each repeating job runs. */
export const SCHEDULES: ReadonlyArray<{ job: JobName.CloseDuePetitions; everyMs: number }> = [
  { job: JobName.CloseDuePetitions, everyMs: 10_000 },
];

const RETRY_MS = 5_000;

/**
 * Registers the repeating jobs when a worker starts. Upserting is idempotent, so every worker
 * may do it. If Redis is down at boot, it keeps trying in the background instead of failing.
 */
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MaintenanceScheduler.name);
  private retry?: NodeJS.Timeout;

  constructor(private readonly producer: JobProducer) {}

  onApplicationBootstrap(): void {
    void this.register();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.retry);
  }

  private async register(): Promise<void> {
    try {
      for (const { job, everyMs } of SCHEDULES) await this.producer.schedule(job, everyMs, {});
    } catch (error) {
      this.logger.warn(`could not register job schedulers, retrying: ${(error as Error).message}`);
      this.retry = setTimeout(() => void this.register(), RETRY_MS);
    }
  }
}
