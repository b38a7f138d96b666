import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import pg from 'pg';
import request from 'supertest';
import { createHttpApp } from '../../src/bootstrap/http-app.js';
import { hashToken } from '../../src/common/crypto/token.js';
import { createPino } from '../../src/common/logging/logger.js';
import { AppConfig, loadConfig } from '../../src/config/app-config.js';
import { quoteIdentifier } from '../../src/database/ensure-database.js';
import { ensureTemplateDatabase } from './template-database.js';
import { databaseUrl, randomName, REDIS_URL, runId, SERVER_DATABASE_URL } from './test-env.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
/** A fixed, made-up test key (32 zero-to-31 bytes). Never a real key. */
export const TEST_DATA_KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString(
  'base64',
);

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** The app's own database (a replica's is its original's). */
  databaseName: string;
  url: string;
  http: () => request.Agent;
  db: pg.Pool;
  /** The app's log lines, when started with `captureLogs`. */
  logs: string[];
  /** Stops the app but keeps its database and queues, e.g. to start it again with other settings. */
  stop: () => Promise<void>;
  close: () => Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Keep every log line the app writes (at debug level) in `TestApp.logs`. */
  captureLogs?: boolean;
  /** Point the app at these instead of the real servers (e.g. a TcpProxy). */
  databaseUrl?: (name: string) => string;
  redisUrl?: string;
  /**
   * Start a second replica of that app: the same database and queue prefix (so the same Redis
   * keys, rate limits included), as two instances of one deployment. Closing it leaves them.
   */
  replicaOf?: TestApp;
}

/**
 * Every request of a spec comes from 127.0.0.1, so the production limits would refuse specs that
 * sign, confirm or mail more than a handful of times. The limits stay on (counted in Redis, as in
 * production) but high; test/rate-limits.e2e-spec.ts sets them low to test them.
 */
const GENEROUS_LIMITS = {
  RATE_LIMIT_SIGN: '100000/600',
  RATE_LIMIT_SIGN_ALL: '100000/600',
  RATE_LIMIT_SIGNER_TOKEN: '100000/60',
  MAIL_LIMIT_PER_ADDRESS: '100000/86400',
};

/**
 * The real application, as production builds it, on its own database (cloned from the run's
 * migrated template) and its own BullMQ prefix, with workers in-process, listening on a free port.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const replicaOf = options.replicaOf;
  const run = runId();
  const name = replicaOf ? replicaOf.databaseName : randomName(run);
  if (!replicaOf) {
    const templateDatabase = await ensureTemplateDatabase(run);
    await admin(
      `CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(templateDatabase)}`,
    );
  }
  const queuePrefix = `${name}:q`;
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      DATABASE_URL: options.databaseUrl ? options.databaseUrl(name) : databaseUrl(name),
      REDIS_URL: options.redisUrl ?? REDIS_URL,
      QUEUE_PREFIX: queuePrefix,
      ADMIN_TOKEN,
      DATA_ENCRYPTION_KEY: TEST_DATA_KEY,
      PORT: '0',
      LOG_LEVEL: options.captureLogs ? 'debug' : (process.env.TEST_LOG_LEVEL ?? 'silent'),
      ...GENEROUS_LIMITS,
      ...options.env,
    },
    { hashToken, developmentKey: () => Buffer.from(TEST_DATA_KEY, 'base64') },
  );
  const logs: string[] = [];
  const sink = options.captureLogs ? { write: (line: string) => void logs.push(line) } : undefined;
  const app = await createHttpApp(config, createPino(config.logLevel, sink));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = await app.getUrl();
  const db = new pg.Pool({ connectionString: databaseUrl(name), max: 2 });
  // close() drops the database WITH (FORCE); a pooled connection that has not quite closed gets
  // 57P01 then, which without a handler would surface as an uncaught error in some later test.
  db.on('error', () => undefined);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.close();
  };

  return {
    app,
    config,
    databaseName: name,
    url,
    db,
    logs,
    http: () => request.agent(url),
    stop,
    close: async () => {
      await stop();
      await db.end();
      if (replicaOf) return;
      await admin(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      await deleteRedisKeys(queuePrefix);
    },
  };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
