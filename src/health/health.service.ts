import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { producerRedisOptions } from '../queue/redis-options.js';

const CHECK_TIMEOUT_MS = 2_000;

export type DependencyState = 'up' | 'down';

@Injectable()
export class HealthService implements OnModuleDestroy {
  /** Its own connection, failing fast while Redis is down, so a check never queues behind jobs. */
  private readonly redis: Redis;

  constructor(
    private readonly dataSource: DataSource,
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
