import type { RedisOptions } from 'bullmq';

/**
 * ioredis options from REDIS_URL (redis:// or rediss://, with user, password and db number).
 * BullMQ's `prefix` namespaces keys; ioredis `keyPrefix` must not be used with BullMQ.
 */
export function redisOptions(redisUrl: string): RedisOptions {
  const url = new URL(redisUrl);
  const db = url.pathname.replace(/^\//, '');
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 6379,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: db ? Number(db) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    connectTimeout: 5_000,
    // Reconnect forever, backing off up to 2 s: Redis coming back must need no restart.
    retryStrategy: (times: number) => Math.min(times * 200, 2_000),
  };
}

/**
 * For producers and one-off commands: fail at once while Redis is down instead of queueing
 * commands in memory. PostgreSQL holds the truth; sweepers re-enqueue what could not be sent.
 */
export function producerRedisOptions(redisUrl: string): RedisOptions {
  return { ...redisOptions(redisUrl), enableOfflineQueue: false, maxRetriesPerRequest: 1 };
}
