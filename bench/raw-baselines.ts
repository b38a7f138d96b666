import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { Queue, Worker } from 'bullmq';
import pg from 'pg';
import { type CpuGroups, cpuShare } from './cpu-share.js';

/** Single-row INSERT transactions per second through `pg`, `concurrency` clients for `seconds`. */
export async function pgInsertRate(
  databaseUrl: string,
  concurrency: number,
  seconds: number,
): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: concurrency });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_raw_insert (id bigserial PRIMARY KEY, payload text NOT NULL)',
  );
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        await pool.query('INSERT INTO bench_raw_insert (payload) VALUES ($1)', [
          'raw insert baseline',
        ]);
        done++;
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  await pool.query('DROP TABLE bench_raw_insert');
  await pool.end();
  return done / elapsed;
}

/** BullMQ no-op jobs processed per second by one worker (jobs added beforehand with addBulk). */
export async function bullmqNoopRate(
  redisUrl: string,
  prefix: string,
  jobs: number,
): Promise<number> {
  const url = new URL(redisUrl);
  const connection = {
    host: url.hostname,
    port: Number(url.port || 6379),
    maxRetriesPerRequest: null,
  };
  const queue = new Queue('bench-noop', { connection, prefix });
  for (let i = 0; i < jobs; i += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, jobs - i) }, (_, j) => ({
        name: 'noop',
        data: { n: i + j },
        opts: { removeOnComplete: true },
      })),
    );
  }
  let processed = 0;
  let started = 0;
  const finished = new Promise<number>((resolve) => {
    const worker = new Worker(
      'bench-noop',
      async () => {
        if (started === 0) started = Date.now();
        processed++;
        if (processed === jobs) {
          const rate = jobs / ((Date.now() - started) / 1000);
          void worker.close().then(() => resolve(rate));
        }
      },
      { connection, prefix, concurrency: 100 },
    );
  });
  const rate = await finished;
  await queue.obliterate({ force: true });
  await queue.close();
  return rate;
}

/**
 * A bare `node:http` endpoint in its own process, load-tested like the API; with the cores each
 * group kept busy meanwhile ("service" being the node:http server).
 */
export async function httpHelloRate(
  connections: number,
  seconds: number,
): Promise<{ perSec: number; cores: CpuGroups }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require('node:http').createServer((q, s) => { s.setHeader('content-type', 'application/json'); s.end('{"hello":"world"}'); })
        .listen(0, '127.0.0.1', function () { process.stdout.write(String(this.address().port) + '\\n'); });`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve) =>
    child.stdout.once('data', (data: Buffer) => resolve(Number(data.toString().trim()))),
  );
  try {
    const cpu = cpuShare(child.pid!);
    const result = await autocannon({
      url: `http://127.0.0.1:${port}/`,
      connections,
      duration: seconds,
    });
    return { perSec: result.requests.total / seconds, cores: cpu.stop() };
  } finally {
    child.kill();
  }
}
