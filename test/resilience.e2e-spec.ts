import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import { AccountRole } from '../src/accounts/account-role.js';
import type { AppConfig } from '../src/config/app-config.js';
import { CountsService } from '../src/counts/counts.service.js';
import { MailProcessor } from '../src/mail/mail.processor.js';
import { MaintenanceProcessor } from '../src/maintenance/maintenance.processor.js';
import { JobProducer } from '../src/queue/job-producer.js';
import { JobName, QueueName } from '../src/queue/queue-names.js';
import { SignatureSweeper } from '../src/signatures/signature-sweeper.service.js';
import { VerificationProcessor } from '../src/verification/verification.processor.js';
import { WorkerModule } from '../src/worker.module.js';
import { apiCounts, countsMatchRows } from './support/counts.js';
import { createAccount, openPetition, type PetitionBody } from './support/factories.js';
import { SmtpSink, tokenFrom } from './support/smtp-sink.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { REDIS_URL } from './support/test-env.js';
import { waitFor } from './support/wait.js';

/**
 * Nothing is lost: a worker killed mid-run, a Redis that lost its keys or could not be reached
 * never loses or double-counts a signature, and the counts always reconcile with the rows.
 */

/** Fast sweeping and short job locks, so lost work is found within seconds. */
const FAST_RECOVERY = {
  SWEEP_INTERVAL_SECONDS: '1',
  SWEEP_STALE_SECONDS: '1',
  JOB_LOCK_SECONDS: '2',
  // Every request comes from 127.0.0.1: keep the burst check out of the way.
  SOURCE_BURST_LIMIT: '100000',
  // One job at a time, so a run of a few hundred lasts long enough to be interrupted.
  VERIFICATION_CONCURRENCY: '1',
};

// Made-up names; every combination is distinct, so the duplicate-person check passes them all.
const FIRST = [
  'Vera', 'Ivan', 'Anna', 'Oleg', 'Nina', 'Pavel', 'Irina', 'Boris', 'Olga', 'Denis',
  'Marina', 'Gleb', 'Lidia', 'Roman', 'Zoya', 'Artem', 'Polina', 'Fedor', 'Sofia', 'Kirill',
]; // prettier-ignore
const LAST = [
  'Testova', 'Primerov', 'Obraztsova', 'Shablonov', 'Probina', 'Maketov', 'Eskizova',
  'Variantov', 'Nabroskova', 'Chernovikov', 'Opytova', 'Proektov', 'Zagotovkina', 'Modelev',
  'Kopiyeva', 'Dublerov', 'Etalonova', 'Shtampov', 'Trafaretova', 'Obrazcov',
]; // prettier-ignore

function signerName(i: number): string {
  return `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
}

/** Signs `n` times with distinct made-up signers, 25 requests at a time; returns the emails. */
async function signMany(t: TestApp, petitionId: string, tag: string, n: number) {
  const emails = Array.from({ length: n }, (_, i) => `${tag}-${i}@example.org`);
  for (let i = 0; i < n; i += 25) {
    await Promise.all(
      emails.slice(i, i + 25).map((email, j) =>
        t
          .http()
          .post(`/v1/petitions/${petitionId}/signatures`)
          .send({ fullName: signerName(i + j), email, district: `District ${(i + j) % 7}` })
          .expect(202),
      ),
    );
  }
  return emails;
}

/** How many signatures are in which status. */
async function statuses(t: TestApp, petitionId: string): Promise<Record<string, number>> {
  const { rows } = await t.db.query<{ status: string; n: string }>(
    `SELECT status, count(*) AS n FROM signatures WHERE petition_id = $1 GROUP BY status`,
    [petitionId],
  );
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
}

/** Signatures without exactly one decision (event out of `pending`) and one event into their status. */
async function notDecidedExactlyOnce(t: TestApp, petitionId: string) {
  const { rows } = await t.db.query<{ id: string; decisions: number; into_final: number }>(
    `SELECT s.id,
            count(e.*) FILTER (WHERE e.from_status = 'pending')::int AS decisions,
            count(e.*) FILTER (WHERE e.to_status = s.status)::int AS into_final
       FROM signatures s LEFT JOIN signature_events e ON e.signature_id = s.id
      WHERE s.petition_id = $1
      GROUP BY s.id
     HAVING count(e.*) FILTER (WHERE e.from_status = 'pending') <> 1
         OR count(e.*) FILTER (WHERE e.to_status = s.status) <> 1`,
    [petitionId],
  );
  return rows;
}

/** Waits until none of the petition's `n` signatures is pending any more; returns the statuses. */
async function allDecided(
  t: TestApp,
  petitionId: string,
  n: number,
  { timeoutMs = 45_000, poke }: { timeoutMs?: number; poke?: () => Promise<unknown> } = {},
) {
  return waitFor(
    `all ${n} signatures to be decided`,
    async () => {
      await poke?.();
      const s = await statuses(t, petitionId);
      const total = Object.values(s).reduce((a, b) => a + b, 0);
      return total === n && !s.pending ? s : undefined;
    },
    { timeoutMs, intervalMs: 500 },
  );
}

/** What a separate worker process runs (`npm run start:worker`), in this process. */
async function startWorkers(config: AppConfig): Promise<INestApplicationContext> {
  const ctx = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: false,
    abortOnError: false,
  });
  await ctx.init();
  return ctx;
}

/**
 * As close to `kill -9` as one process allows: the workers stop at once without finishing or
 * releasing their active jobs (whose locks then expire), and the context goes away.
 */
async function killWorkers(ctx: INestApplicationContext): Promise<void> {
  const workers = [VerificationProcessor, MailProcessor, MaintenanceProcessor].map(
    (processor) => ctx.get(processor).worker,
  );
  await Promise.all(workers.map((worker) => worker.close(true)));
  await ctx.close();
}

/**
 * Redis loses every key of this app's queue prefix at once, as a restart without persistence
 * would (not FLUSHALL: other specs share this Redis). One script, so it is atomic: a SCAN and
 * DEL from outside would race the app's concurrent writes and could leave half a job behind.
 */
async function deleteQueueKeys(prefix: string): Promise<number> {
  return withRedis(
    async (redis) =>
      (await redis.eval(
        `local keys = redis.call('KEYS', ARGV[1])
         for i = 1, #keys, 500 do redis.call('DEL', unpack(keys, i, math.min(i + 499, #keys))) end
         return #keys`,
        0,
        `${prefix}:*`,
      )) as number,
  );
}

async function withRedis<T>(use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(REDIS_URL);
  try {
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

async function newPetition(t: TestApp, overrides: Record<string, unknown> = {}) {
  const organiser = await createAccount(t, AccountRole.Organiser);
  const moderator = await createAccount(t, AccountRole.Moderator);
  return openPetition(t, organiser, moderator, overrides);
}

describe('resilience: separate worker processes', () => {
  let t: TestApp;
  const contexts = new Set<INestApplicationContext>();

  const workers = async () => {
    const ctx = await startWorkers(t.config);
    contexts.add(ctx);
    return ctx;
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { ...FAST_RECOVERY, WORKERS: 'off' } });
  });
  afterAll(async () => {
    for (const ctx of contexts) await ctx.close().catch(() => undefined);
    await t.close();
  });

  it('a worker killed mid-run loses nothing: another finishes every signature exactly once', async () => {
    const n = 300;
    const petition = await newPetition(t, { requireEmailConfirmation: false });
    await signMany(t, petition.id, 'killed', n);
    expect(await statuses(t, petition.id)).toEqual({ pending: n });

    const a = await workers();
    await waitFor(
      'worker A to decide some signatures',
      async () => {
        const s = await statuses(t, petition.id);
        return (s.verified ?? 0) >= 10 ? s : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 20 },
    );
    await killWorkers(a);
    contexts.delete(a);

    // Killed mid-run: work was left over (otherwise this test would prove nothing).
    const atKill = await statuses(t, petition.id);
    expect(atKill.pending).toBeGreaterThan(0);

    const b = await workers();
    const final = await allDecided(t, petition.id, n);
    await b.close();
    contexts.delete(b);

    expect(final).toEqual({ verified: n });
    expect(await notDecidedExactlyOnce(t, petition.id)).toEqual([]);
    expect(await countsMatchRows(t, petition.id, 10_000)).toMatchObject({
      verified: n,
      pending: 0,
    });
  });

  it('revives a job whose queue entry was lost while its data survived in Redis', async () => {
    // A partial loss (e.g. keys evicted under memory pressure, or deleted while jobs were being
    // added): the job's hash is still there, but it is in no list, so no worker will ever take it.
    const n = 5;
    const petition = await newPetition(t, { requireEmailConfirmation: false });
    await signMany(t, petition.id, 'orphan', n);
    // Signatures written together share a job, keyed by their work batch.
    const queue = t.app.get(JobProducer).queue(JobName.VerifySignatures);
    const { rows } = await t.db.query<{ work_batch: string }>(
      `SELECT DISTINCT work_batch FROM signatures WHERE petition_id = $1`,
      [petition.id],
    );
    const ids = rows.map((row) => row.work_batch);
    expect(ids.length).toBeGreaterThan(0);
    await waitFor('the verification jobs to be queued', async () =>
      (await queue.getWaitingCount()) >= ids.length ? true : undefined,
    );
    const waitList = `${t.config.queuePrefix}:${QueueName.Verification}:wait`;
    await withRedis(async (redis) => {
      for (const id of ids) await redis.lrem(waitList, 0, id);
    });
    const lost = () => Promise.all(ids.map((id) => queue.getJobState(id)));
    expect(await lost()).toEqual(ids.map(() => 'unknown'));

    // Once the rows are stale, the sweeper must make sure each has a live job again. (The rows
    // were written some tens of milliseconds apart, so one sweep may find only some stale.)
    const sweeper = t.app.get(SignatureSweeper);
    // Rows become stale one batch at a time, so one sweep may revive only some of the jobs.
    await waitFor('the sweeper to revive every lost job', async () => {
      await sweeper.sweep();
      const states = await lost();
      return states.every((state) => state === 'waiting') ? states : undefined;
    });
    expect(await lost()).toEqual(ids.map(() => 'waiting'));

    const ctx = await workers();
    expect(await allDecided(t, petition.id, n, { timeoutMs: 15_000 })).toEqual({ verified: n });
    await ctx.close();
    contexts.delete(ctx);
  });

  it('reconciliation corrects counts that drifted from the rows, then finds nothing', async () => {
    const n = 12;
    const petition = await newPetition(t, { requireEmailConfirmation: false });
    await signMany(t, petition.id, 'drift', n);
    const ctx = await workers();
    await allDecided(t, petition.id, n);
    await ctx.close();
    contexts.delete(ctx);
    await countsMatchRows(t, petition.id, 10_000);

    await t.db.query(
      `INSERT INTO petition_count_shards (petition_id, shard) VALUES ($1, 0) ON CONFLICT DO NOTHING`,
      [petition.id],
    );
    await t.db.query(
      `UPDATE petition_count_shards SET verified = verified + 5 WHERE petition_id = $1 AND shard = 0`,
      [petition.id],
    );
    await waitFor('the drifted count to show', async () => {
      const counts = await apiCounts(t, petition.id);
      return counts.verified === n + 5 ? counts : undefined;
    });

    const drift = await t.app.get(CountsService).reconcile(petition.id);
    expect(drift).not.toBeNull();
    expect(drift!.petitionId).toBe(petition.id);
    expect(drift!.before.verified).toBe(drift!.after.verified + 5);
    expect(drift!.after).toMatchObject({ verified: n, pending: 0, unconfirmed: 0 });

    expect(await countsMatchRows(t, petition.id, 10_000)).toMatchObject({ verified: n });
    expect(await t.app.get(CountsService).reconcile(petition.id)).toBeNull();
  });
});

describe('resilience: unconfirmed signatures whose mail job was lost', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let ctx: INestApplicationContext | undefined;

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({ env: { ...FAST_RECOVERY, WORKERS: 'off', SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await ctx?.close().catch(() => undefined);
    await t.close();
    await smtp.stop();
  });

  it('still get their confirmation mail, exactly once each, once Redis forgot the jobs', async () => {
    const n = 30;
    const petition = await newPetition(t);
    const emails = await signMany(t, petition.id, 'lostmail', n);
    expect(await statuses(t, petition.id)).toEqual({ unconfirmed: n });

    // The API enqueued the mails, but no worker runs: then Redis loses them all.
    const mailQueue = t.app.get(JobProducer).queue(JobName.SendSignerMails);
    const { rows: batches } = await t.db.query<{ n: number }>(
      `SELECT count(DISTINCT work_batch)::int AS n FROM signatures WHERE petition_id = $1`,
      [petition.id],
    );
    await waitFor('the mail jobs to be queued', async () =>
      (await mailQueue.getWaitingCount()) === batches[0].n ? true : undefined,
    );
    expect(await deleteQueueKeys(t.config.queuePrefix)).toBeGreaterThan(0);
    expect(await mailQueue.getWaitingCount()).toBe(0);

    ctx = await startWorkers(t.config);
    await waitFor(
      'every mail to be sent and marked sent',
      async () => {
        const { rows } = await t.db.query<{ owed: number }>(
          `SELECT count(*) FILTER (WHERE mail_sent_at IS NULL OR token_encrypted IS NOT NULL)::int AS owed
             FROM signatures WHERE petition_id = $1`,
          [petition.id],
        );
        return smtp.mails.length >= n && rows[0].owed === 0 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    // Nothing is owed any more, so a further sweep adds nothing and no mail is sent twice.
    expect(await ctx.get(SignatureSweeper).sweep()).toEqual({ verification: 0, mail: 0 });
    expect(smtp.mails).toHaveLength(n);
    for (const email of emails) expect(smtp.mailsTo(email)).toHaveLength(1);

    // The re-sent mail carries the signer's real token: it confirms the signature.
    const token = tokenFrom(smtp.mailsTo(emails[0])[0]);
    const confirmed = await t.http().post('/v1/signatures/confirm').send({ token }).expect(200);
    expect(confirmed.body).toEqual({ status: 'pending' });
    expect(await countsMatchRows(t, petition.id, 10_000)).toMatchObject({ unconfirmed: n - 1 });
  });
});

describe('resilience: in-process workers', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { ...FAST_RECOVERY } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('Redis losing every key mid-run loses nothing: each signature is decided exactly once', async () => {
    const n = 250;
    const petition: PetitionBody = await newPetition(t, { requireEmailConfirmation: false });
    const signing = signMany(t, petition.id, 'flushed', n);
    await waitFor(
      'verification to be under way',
      async () => ((await statuses(t, petition.id)).verified ?? 0) >= 5 || undefined,
      { timeoutMs: 20_000, intervalMs: 20 },
    );
    expect(await deleteQueueKeys(t.config.queuePrefix)).toBeGreaterThan(0);
    await signing;
    expect((await statuses(t, petition.id)).pending).toBeGreaterThan(0);

    // The job schedulers went with the keys and are only re-registered every minute, so the
    // sweep the scheduler would run every second is run here directly while waiting.
    const sweeper = t.app.get(SignatureSweeper);
    const final = await allDecided(t, petition.id, n, { poke: () => sweeper.sweep() });

    expect(final).toEqual({ verified: n });
    expect(await notDecidedExactlyOnce(t, petition.id)).toEqual([]);
    expect(await countsMatchRows(t, petition.id, 10_000)).toMatchObject({
      verified: n,
      pending: 0,
    });
  });
});

describe('resilience: Redis unreachable while signing', () => {
  const redisProxy = new TcpProxy('127.0.0.1', 6379);
  let t: TestApp;

  beforeAll(async () => {
    const port = await redisProxy.start();
    t = await startTestApp({
      env: { ...FAST_RECOVERY },
      redisUrl: `redis://127.0.0.1:${port}`,
    });
  });
  afterAll(async () => {
    await redisProxy.start(redisProxy.port).catch(() => undefined);
    await t.close();
    await redisProxy.stop();
  });

  it('accepts the signature anyway, and verifies it once Redis is back', async () => {
    const petition = await newPetition(t, { requireEmailConfirmation: false });
    await redisProxy.stop();

    const emails = await signMany(t, petition.id, 'offline', 3);
    expect(emails).toHaveLength(3);
    expect(await statuses(t, petition.id)).toEqual({ pending: 3 });

    await redisProxy.start(redisProxy.port);
    expect(await allDecided(t, petition.id, 3, { timeoutMs: 30_000 })).toEqual({ verified: 3 });
    expect(await notDecidedExactlyOnce(t, petition.id)).toEqual([]);
    expect(await countsMatchRows(t, petition.id, 10_000)).toMatchObject({
      verified: 3,
      pending: 0,
    });
  });
});
