import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import { AccountRole } from '../src/accounts/account-role.js';
import { IMPORT_RECEIPT_PRIORITY } from '../src/signatures/import.service.js';
import { JobProducer } from '../src/queue/job-producer.js';
import { JobName } from '../src/queue/queue-names.js';
import { SignatureSweeper } from '../src/signatures/signature-sweeper.service.js';
import { WorkerModule } from '../src/worker.module.js';
import { createAccount, openPetition } from './support/factories.js';
import { SmtpSink, tokenFrom } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { REDIS_URL } from './support/test-env.js';
import { waitFor } from './support/wait.js';

/**
 * An import's work is keyed by its work batches, as a sign statement's is: when Redis loses the
 * jobs, the sweeper adds them again under the same ids, the receipts again paced and behind
 * signers' own mails, and every receipt goes out once.
 */
describe('imports whose jobs Redis lost', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let workers: INestApplicationContext | undefined;

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({
      env: {
        WORKERS: 'off',
        SMTP_URL: smtp.url,
        SWEEP_INTERVAL_SECONDS: '1',
        SWEEP_STALE_SECONDS: '1',
      },
    });
  });
  afterAll(async () => {
    await workers?.close().catch(() => undefined);
    await t.close();
    await smtp.stop();
  });

  it('revives the verification and the receipts of an import, each receipt sent once', async () => {
    const organiser = await createAccount(t, AccountRole.Organiser);
    const moderator = await createAccount(t, AccountRole.Moderator);
    const petition = await openPetition(t, organiser, moderator);
    const n = 12;
    const emails = Array.from({ length: n }, (_, i) => `lost.receipt.${i}@example.org`);
    const names = ['Anna', 'Boris', 'Vera', 'Gleb', 'Dina', 'Egor'];
    const res = await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures/import`)
      .set(organiser.auth)
      .send({
        signatures: [
          ...emails.map((email, i) => ({
            fullName: `${names[i % 6]} ${i < 6 ? 'Poteryaeva' : 'Zabytova'}`,
            email,
          })),
          { fullName: 'Lev Bezadresov' },
        ],
      })
      .expect(202);
    expect(res.body.accepted).toBe(n + 1);
    const { rows } = await t.db.query<{ work_batch: string; emailed: number; n: number }>(
      `SELECT work_batch, count(token_encrypted)::int AS emailed, count(*)::int AS n
         FROM signatures WHERE petition_id = $1 GROUP BY work_batch`,
      [petition.id],
    );
    expect(rows).toEqual([{ work_batch: expect.any(String), emailed: n, n: n + 1 }]);
    const batch = rows[0].work_batch;
    const producer = t.app.get(JobProducer);
    const mailQueue = producer.queue(JobName.SendImportReceipts);
    const verifyQueue = producer.queue(JobName.VerifySignatures);
    await waitFor('the import’s two jobs', async () =>
      (await mailQueue.getJob(batch)) && (await verifyQueue.getJob(batch)) ? true : undefined,
    );
    expect((await mailQueue.getJob(batch))?.opts.priority).toBe(IMPORT_RECEIPT_PRIORITY);

    // No worker runs yet; Redis loses every key of this app's queues.
    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys(`${t.config.queuePrefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    expect(await mailQueue.getJob(batch)).toBeUndefined();

    const sweeper = t.app.get(SignatureSweeper);
    const revived = await waitFor('the sweeper to add both jobs again', async () => {
      await sweeper.sweep();
      const [mail, verify] = await Promise.all([
        mailQueue.getJob(batch),
        verifyQueue.getJob(batch),
      ]);
      return mail && verify ? { mail, verify } : undefined;
    });
    expect(revived.mail.name).toBe(JobName.SendImportReceipts);
    expect(revived.mail.opts.priority).toBe(IMPORT_RECEIPT_PRIORITY);
    expect([...revived.mail.data.signatureIds].sort()).toHaveLength(n);
    expect(revived.verify.name).toBe(JobName.VerifySignatures);
    expect(revived.verify.data.signatureIds).toHaveLength(n + 1);

    workers = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), {
      logger: false,
      abortOnError: false,
    });
    await workers.init();
    await waitFor(
      'every row decided and every receipt out',
      async () => {
        const { rows: left } = await t.db.query<{ owed: number; pending: number }>(
          `SELECT count(token_encrypted)::int AS owed,
                  count(*) FILTER (WHERE status = 'pending')::int AS pending
             FROM signatures WHERE petition_id = $1`,
          [petition.id],
        );
        return left[0].owed === 0 && left[0].pending === 0 ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(await sweeper.sweep()).toEqual({ verification: 0, mail: 0 });
    for (const email of emails) expect(smtp.mailsTo(email)).toHaveLength(1);
    expect(smtp.mails).toHaveLength(n);
    const withdrawn = await t
      .http()
      .post('/v1/signatures/withdraw')
      .send({ token: tokenFrom(smtp.mailsTo(emails[0])[0], 'withdraw') })
      .expect(200);
    expect(withdrawn.body.status).toBe('withdrawn');
  });
});
