import { startTestApp, type TestApp } from './support/test-app.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { databaseUrl } from './support/test-env.js';
import { waitFor } from './support/wait.js';

/**
 * PostgreSQL and Redis reached through proxies this spec can cut, so an outage is real to the
 * app (refused and broken connections) while the servers the other specs use stay up.
 */
describe('health and dependency outages', () => {
  const pgProxy = new TcpProxy('127.0.0.1', 5432);
  const redisProxy = new TcpProxy('127.0.0.1', 6379);
  let t: TestApp;

  beforeAll(async () => {
    const pgPort = await pgProxy.start();
    const redisPort = await redisProxy.start();
    t = await startTestApp({
      databaseUrl: (name) => databaseUrl(name, `postgres://postgres@127.0.0.1:${pgPort}/postgres`),
      redisUrl: `redis://127.0.0.1:${redisPort}`,
    });
  });
  afterAll(async () => {
    await pgProxy.start(pgProxy.port).catch(() => undefined);
    await t.close();
    await pgProxy.stop();
    await redisProxy.stop();
  });

  /** Polls /health until it answers `status`: outages and recoveries are noticed, not instant. */
  const healthStatus = (status: number) =>
    waitFor(
      `/health to answer ${status}`,
      async () => {
        const res = await t.http().get('/health');
        return res.status === status ? res : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );

  it('is ok when both answer', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      checks: {
        database: 'up',
        redis: 'up',
        keys: expect.objectContaining({ status: 'ok', wrappedUnderPrevious: 0, unreadable: 0 }),
      },
      warnings: [],
    });
  });

  it('answers 503 naming PostgreSQL within seconds when it goes down, and recovers by itself', async () => {
    await pgProxy.stop();
    const started = Date.now();
    const res = await t.http().get('/health');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({
      statusCode: 503,
      code: 'service_unavailable',
      checks: { database: 'down', redis: 'up' },
    });
    expect(res.body.message).toContain('database');

    // A request that needs the database is a 503 too, not a 500.
    const list = await t.http().get('/v1/petitions');
    expect(list.status).toBe(503);
    expect(list.body.code).toBe('service_unavailable');

    await pgProxy.start(pgProxy.port);
    await healthStatus(200);
    await t.http().get('/v1/petitions').expect(200);
  });

  it('answers 503 naming Redis when it goes down, and recovers by itself', async () => {
    await redisProxy.stop();
    const res = await healthStatus(503);
    expect(res.body).toMatchObject({
      code: 'service_unavailable',
      checks: { database: 'up', redis: 'down' },
    });
    expect(res.body.message).toContain('redis');

    await redisProxy.start(redisProxy.port);
    await healthStatus(200);
  });
});
