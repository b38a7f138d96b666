import { randomBytes } from 'node:crypto';

/** Where the e2e run's services are; override with TEST_DATABASE_URL / TEST_REDIS_URL. */
export const SERVER_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A database URL on the test server with another database name. */
export function databaseUrl(name: string, base = SERVER_DATABASE_URL): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export function randomName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** Set by the global setup: this run's id, which prefixes every database and queue it creates. */
export function runId(): string {
  const id = process.env.COUNTERSIGN_TEST_RUN;
  if (!id) throw new Error('e2e specs need the Jest global setup (npm run test:e2e)');
  return id;
}
