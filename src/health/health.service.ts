import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { producerRedisOptions } from '../queue/redis-options.js';
import { WorkRevivalsRepository } from '../signatures/work-revivals.repository.js';
import { type KeysCheck, KeyRotationService } from '../keys/key-rotation.service.js';

const CHECK_TIMEOUT_MS = 2_000;

export type DependencyState = 'up' | 'down';

/** Something an operator should look at that is not an outage: /health still answers 200. */
export type HealthWarning =
  | {
      code: 'signature_work_given_up';
      work: string;
      count: number;
      /** When the oldest of them was given up. */
      since: string;
      message: string;
    }
  | { code: 'previous_key_unused'; keyId: string; count: 0; message: string }
  | { code: 'data_keys_unreadable'; count: number; message: string };

/** `checks.keys` when the database cannot say. */
export type KeysState = KeysCheck | { status: 'unknown' };

@Injectable()
export class HealthService implements OnModuleDestroy {
  /** Its own connection, failing fast while Redis is down, so a check never queues behind jobs. */
  private readonly redis: Redis;

  constructor(
    private readonly dataSource: DataSource,
    private readonly revivals: WorkRevivalsRepository,
    private readonly rotation: KeyRotationService,
    config: AppConfig,
  ) {
    this.redis = new Redis({ ...producerRedisOptions(config.redisUrl), lazyConnect: true });
    this.redis.on('error', () => undefined); // state is reported by /health, not as log noise
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  async check(): Promise<{ database: DependencyState; redis: DependencyState; keys: KeysState }> {
    const [database, redis, keys] = await Promise.all([
      probe(() => this.dataSource.query('SELECT 1')),
      probe(async () => {
        if (this.redis.status === 'wait') await this.redis.connect();
        return this.redis.ping();
      }),
      withTimeout(
        this.rotation.check().catch((): KeysState => ({ status: 'unknown' })),
        { status: 'unknown' } as KeysState,
      ),
    ]);
    return { database, redis, keys };
  }

  /** What the keys' state asks of an operator (see KeyRotationService.check). */
  keyWarnings(keys: KeysState): HealthWarning[] {
    if (keys.status === 'unknown') return [];
    const warnings: HealthWarning[] = keys.previousKeys
      .filter((k) => k.wraps === 0)
      .map((k) => ({
        code: 'previous_key_unused' as const,
        keyId: k.keyId,
        count: 0 as const,
        message:
          `The previous key ${k.keyId} in PREVIOUS_DATA_ENCRYPTION_KEYS no longer opens anything ` +
          '(everything is wrapped under DATA_ENCRYPTION_KEY): remove it from the list, and ' +
          'destroy it once no backup you keep needs it.',
      }));
    if (keys.unreadable > 0) {
      warnings.push({
        code: 'data_keys_unreadable',
        count: keys.unreadable,
        message:
          `${keys.unreadable} petition key${keys.unreadable === 1 ? ' is' : 's are'} wrapped under ` +
          'a key that is neither DATA_ENCRYPTION_KEY nor in PREVIOUS_DATA_ENCRYPTION_KEYS: their ' +
          'signers’ data cannot be read. Add the missing key to PREVIOUS_DATA_ENCRYPTION_KEYS.',
      });
    }
    return warnings;
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

function withTimeout<T>(call: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), CHECK_TIMEOUT_MS);
  });
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
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
