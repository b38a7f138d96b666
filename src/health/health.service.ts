import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { producerRedisOptions } from '../queue/redis-options.js';
import { WorkRevivalsRepository } from '../signatures/work-revivals.repository.js';

const CHECK_TIMEOUT_MS = 2_000;

export type DependencyState = 'up' | 'down';

/** Something an operator should look at that is not an outage: /health still answers 200. */
export interface HealthWarning {
  code: 'signature_work_given_up';
  work: string;
  count: number;
  /** When the oldest of them was given up. */
  since: string;
  message: string;
}

@Injectable()
export class HealthService implements OnModuleDestroy {
  /** Its own connection, failing fast while Redis is down, so a check never queues behind jobs. */
  private readonly redis: Redis;

  constructor(
    private readonly dataSource: DataSource,
    private readonly revivals: WorkRevivalsRepository,
    config: AppConfig,
  ) {
    this.redis = new Redis({ ...producerRedisOptions(config.redisUrl), lazyConnect: true });
    this.redis.on('error', () => undefined); // state is reported by /health, not as log noise
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  async check(): Promise<{ database: DependencyState; redis: DependencyState }> {
    const [database, redis] = await Promise.all([
      probe(() => this.dataSource.query('SELECT 1')),
      probe(async () => {
        if (this.redis.status === 'wait') await this.redis.connect();
        return this.redis.ping();
      }),
    ]);
    return { database, redis };
  }

  /** Signatures whose work kept failing; none when that cannot be read (the database is down). */
  async warnings(): Promise<HealthWarning[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<[]>((resolve) => {
      timer = setTimeout(() => resolve([]), CHECK_TIMEOUT_MS);
    });
    const counts = await Promise.race([
      this.revivals.givenUpCounts().catch(() => []),
      timeout,
    ]).finally(() => clearTimeout(timer));
    return counts.map(({ work, count, since }) => ({
      code: 'signature_work_given_up',
      work,
      count,
      since,
      message:
        `The ${work} of ${count} signature${count === 1 ? '' : 's'} kept failing and is no longer ` +
        'retried; the signatures are kept. See GET /v1/operations/given-up-work, and once the ' +
        'cause is fixed, POST /v1/operations/given-up-work/retry.',
    }));
  }
}

/** Up when the call answers within the timeout; a hung dependency counts as down. */
async function probe(call: () => Promise<unknown>): Promise<DependencyState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'down'>((resolve) => {
    timer = setTimeout(() => resolve('down'), CHECK_TIMEOUT_MS);
  });
  const answer = call().then(
    (): DependencyState => 'up',
    (): DependencyState => 'down',
  );
  return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
}
