import { Redis } from 'ioredis';
import { AccountRole } from '../src/accounts/account-role.js';
import { JobProducer } from '../src/queue/job-producer.js';
import { JobName } from '../src/queue/queue-names.js';
import { SignatureSweeper } from '../src/signatures/signature-sweeper.service.js';
import { adminAuth, createAccount, openPetition, type PetitionBody } from './support/factories.js';
import { parseMetrics, type Sample, valueOf } from './support/prometheus.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { REDIS_URL } from './support/test-env.js';
import { waitFor } from './support/wait.js';

/**
 * A verification job that keeps failing: it ends failed, the sweeper re-enqueues it a bounded
 * number of times (counted in PostgreSQL), then gives up; the signature stays pending and is
 * reported in /health and /metrics until an admin retries it after fixing the cause.
 */

const MAX_REVIVALS = 2;
const ENV = {
  SOURCE_BURST_LIMIT: '100000',
  JOB_ATTEMPTS: '2', // one retry, after 1 s
  SWEEP_INTERVAL_SECONDS: '1',
  SWEEP_STALE_SECONDS: '1',
  SWEEP_MAX_REVIVALS: String(MAX_REVIVALS),
};
const STUCK_NAME = 'Zastryavshiy Podpisant';

async function scrape(t: TestApp): Promise<Sample[]> {
  return parseMetrics((await t.http().get('/metrics').expect(200)).text);
}

async function signatureNamed(t: TestApp, petitionId: string, fullName: string) {
  const { rows } = await t.db.query<{ id: string; work_batch: string }>(
    `SELECT id, work_batch FROM signatures WHERE petition_id = $1 AND full_name = $2`,
    [petitionId, fullName],
  );
  expect(rows).toHaveLength(1);
  return rows[0];
}

async function revivalRow(t: TestApp, signatureId: string) {
  const { rows } = await t.db.query<{ revivals: number; given_up_at: Date | null }>(
    `SELECT revivals, given_up_at FROM signature_work_revivals
      WHERE signature_id = $1 AND work = 'verification'`,
    [signatureId],
  );
  return rows[0];
}

describe('work that keeps failing', () => {
  let t: TestApp;
  let petition: PetitionBody;

  beforeAll(async () => {
    t = await startTestApp({ env: ENV });
    const organiser = await createAccount(t, AccountRole.Organiser);
    const moderator = await createAccount(t, AccountRole.Moderator);
    petition = await openPetition(t, organiser, moderator, { requireEmailConfirmation: false });
    // The fault: deciding this one signer's signature fails, every time, as a bug or bad data would.
    await t.db.query(`
      CREATE FUNCTION refuse_stuck_signer() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.full_name = '${STUCK_NAME}' AND NEW.status <> OLD.status THEN
          RAISE EXCEPTION 'this signature cannot be decided (test fault)';
        END IF;
        RETURN NEW;
      END $$`);
    await t.db.query(`
      CREATE TRIGGER refuse_stuck_signer BEFORE UPDATE ON signatures
        FOR EACH ROW EXECUTE FUNCTION refuse_stuck_signer()`);
  });
  afterAll(async () => {
    await t.close();
  });

  it('ends failed, is counted, is re-enqueued only a bounded number of times, shows in /health, and can be retried', async () => {
    const sign = (fullName: string, email: string) =>
      t
        .http()
        .post(`/v1/petitions/${petition.id}/signatures`)
        .send({ fullName, email })
        .expect(202);
    await sign(STUCK_NAME, 'stuck@example.org');
    const stuck = await signatureNamed(t, petition.id, STUCK_NAME);
    await sign('Vera Normalnaya', 'fine@example.org');
    const fine = await signatureNamed(t, petition.id, 'Vera Normalnaya');

    // The other signature is decided as usual.
    await waitFor('the other signature to be verified', async () => {
      const { rows } = await t.db.query(`SELECT status FROM signatures WHERE id = $1`, [fine.id]);
      return rows[0].status === 'verified' ? true : undefined;
    });

    // Each job ends failed after its attempts; the sweeper adds it again MAX_REVIVALS times,
    // then gives up.
    const givenUp = await waitFor(
      'the sweeper to give up on the stuck signature',
      async () => {
        const row = await revivalRow(t, stuck.id);
        return row?.given_up_at ? row : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 250 },
    );
    expect(givenUp.revivals).toBe(MAX_REVIVALS);
    const queue = t.app.get(JobProducer).queue(JobName.VerifySignatures);
    expect(await queue.getJobState(stuck.work_batch)).toBe('failed');
    const { rows: still } = await t.db.query(`SELECT status FROM signatures WHERE id = $1`, [
      stuck.id,
    ]);
    expect(still[0].status).toBe('pending'); // kept safe, as it was

    // Not re-added past its bound: by later sweeps, by a restart, or after Redis lost its jobs.
    const sweeper = t.app.get(SignatureSweeper);
    expect(await sweeper.sweep()).toEqual({ verification: 0, mail: 0 });
    await deleteQueueKeys(t.config.queuePrefix);
    expect(await sweeper.sweep()).toEqual({ verification: 0, mail: 0 });
    expect(await queue.getJobState(stuck.work_batch)).toBe('unknown');
    expect((await revivalRow(t, stuck.id)).revivals).toBe(MAX_REVIVALS);

    // Counted in the metrics.
    const samples = await scrape(t);
    expect(valueOf(samples, 'countersign_signatures_given_up', { work: 'verification' })).toBe(1);
    expect(valueOf(samples, 'countersign_signatures_given_up', { work: 'mail' })).toBe(0);
    expect(
      valueOf(samples, 'countersign_queue_job_outcomes_total', {
        queue: 'verification',
        outcome: 'failed',
      }),
    ).toBe(MAX_REVIVALS + 1);
    expect(
      valueOf(samples, 'countersign_queue_job_outcomes_total', {
        queue: 'verification',
        outcome: 'retried',
      }),
    ).toBe(MAX_REVIVALS + 1);
    expect(
      valueOf(samples, 'countersign_sweeper_revived_jobs_total', { work: 'verification' }),
    ).toBe(MAX_REVIVALS);

    // Listed for an operator: /health warns (and is still 200), the admin's list names it.
    const health = await t.http().get('/health').expect(200);
    expect(health.body).toEqual({
      status: 'ok',
      checks: { database: 'up', redis: 'up', keys: expect.objectContaining({ status: 'ok' }) },
      warnings: [
        {
          code: 'signature_work_given_up',
          work: 'verification',
          count: 1,
          since: givenUp.given_up_at!.toISOString(),
          message: expect.stringContaining('/v1/operations/given-up-work/retry'),
        },
      ],
    });
    const list = await t.http().get('/v1/operations/given-up-work').set(adminAuth).expect(200);
    expect(list.body).toEqual({
      items: [
        {
          signatureId: stuck.id,
          petitionId: petition.id,
          work: 'verification',
          revivals: MAX_REVIVALS,
          lastRevivedAt: expect.any(String),
          givenUpAt: expect.any(String),
        },
      ],
      nextCursor: null,
    });
    const moderator = await createAccount(t, AccountRole.Moderator);
    await t.http().get('/v1/operations/given-up-work').set(moderator.auth).expect(403);
    await t.http().post('/v1/operations/given-up-work/retry').send({}).expect(401);
    await t
      .http()
      .post('/v1/operations/given-up-work/retry')
      .set(adminAuth)
      .send({ work: 'everything' })
      .expect(400);

    // The operator fixes the cause and retries: the sweeper takes it up again and it is decided.
    await t.db.query(`DROP TRIGGER refuse_stuck_signer ON signatures`);
    const retried = await t
      .http()
      .post('/v1/operations/given-up-work/retry')
      .set(adminAuth)
      .send({ work: 'verification' })
      .expect(200);
    expect(retried.body).toEqual({ retried: 1 });
    await waitFor(
      'the retried signature to be verified',
      async () => {
        const { rows } = await t.db.query(`SELECT status FROM signatures WHERE id = $1`, [
          stuck.id,
        ]);
        return rows[0].status === 'verified' ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    await waitFor('the warning to go', async () => {
      const res = await t.http().get('/health').expect(200);
      return res.body.warnings.length === 0 ? true : undefined;
    });
    await sweeper.sweep();
    expect(await revivalRow(t, stuck.id)).toBeUndefined(); // done: nothing is kept about it
    expect(
      valueOf(await scrape(t), 'countersign_signatures_given_up', { work: 'verification' }),
    ).toBe(0);
  });
});

/** Redis loses every key of this app's queue prefix, as a restart without persistence would. */
async function deleteQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    await redis.eval(
      `local keys = redis.call('KEYS', ARGV[1])
       for i = 1, #keys, 500 do redis.call('DEL', unpack(keys, i, math.min(i + 499, #keys))) end
       return #keys`,
      0,
      `${prefix}:*`,
    );
  } finally {
    redis.disconnect();
  }
}
