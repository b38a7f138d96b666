import { AccountRole } from '../src/accounts/account-role.js';
import { countsMatchRows } from './support/counts.js';
import {
  createAccount,
  createPetition,
  openPetition,
  type PetitionBody,
  type TestAccount,
  adminAuth,
} from './support/factories.js';
import { SmtpSink, tokenFrom } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { JobProducer } from '../src/queue/job-producer.js';
import { JobName } from '../src/queue/queue-names.js';

/** Signing, the signer's mail, confirmation, withdrawal and lookup, end to end. */
describe('signing', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let organiser: TestAccount;
  let moderator: TestAccount;
  let petition: PetitionBody;

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({
      env: { SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'https://sign.example.test' },
    });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
    petition = await openPetition(t, organiser, moderator);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const counts = async (id: string) =>
    (await t.http().get(`/v1/petitions/${id}/counts`).set(adminAuth).expect(200)).body as Record<
      string,
      number
    >;

  it('takes a signature through mail and confirmation to verified, and counts it', async () => {
    const email = 'vera.testova@example.org';
    const res = await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures`)
      .send({ fullName: 'Vera Testova', email, district: 'District 3', displayPublicly: true })
      .expect(202);
    expect(res.body).toEqual({ status: 'received' });

    const mail = await waitFor('the confirmation mail', async () => smtp.mailsTo(email)[0]);
    const lines = mail.text.split('\n').map((l) => l.trim());
    const token = tokenFrom(mail);
    expect(lines).toContain(`https://sign.example.test/signatures/confirm?token=${token}`);
    expect(lines).toContain(`https://sign.example.test/signatures/withdraw?token=${token}`);

    await waitFor('unconfirmed count', async () =>
      (await counts(petition.id)).unconfirmed === 1 ? true : undefined,
    );

    const batchOf = async () =>
      (
        await t.db.query<{ work_batch: string | null }>(
          'SELECT work_batch FROM signatures WHERE petition_id = $1',
          [petition.id],
        )
      ).rows[0].work_batch;
    // Written by a sign statement, its mail job was that statement's batch job …
    expect(await batchOf()).toEqual(expect.any(String));
    const confirmed = await t.http().post('/v1/signatures/confirm').send({ token }).expect(200);
    expect(confirmed.body).toEqual({ status: 'pending' });
    // … and once confirmed, its checks run in a job of its own, which the sweeper looks for.
    expect(await batchOf()).toBeNull();

    await waitFor('verified', async () => {
      const r = await t.http().post('/v1/signatures/lookup').send({ token }).expect(200);
      return r.body.status === 'verified' ? r.body : undefined;
    });
    await waitFor('verified count', async () => {
      const c = await counts(petition.id);
      return c.verified === 1 && c.unconfirmed === 0 && c.pending === 0 ? c : undefined;
    });
    const list = await t.http().get(`/v1/petitions/${petition.id}/signatures`).expect(200);
    expect(list.body.items).toEqual([
      {
        fullName: 'Vera Testova',
        district: 'District 3',
        title: null,
        verifiedAt: expect.any(String),
      },
    ]);
  });

  it('answers a mail link with a made-up token by a page, without reflecting it', async () => {
    for (const action of ['confirm', 'withdraw', 'status']) {
      const res = await t.http().get(`/signatures/${action}?token=<script>x</script>`).expect(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.text).not.toContain('<script>x</script>'); // the token is never reflected
    }
  });
});

/** Timing must not tell a first signature from a repeat: every answer waits for the same floor. */
describe('signing response floor', () => {
  let t: TestApp;
  let petition: PetitionBody;

  beforeAll(async () => {
    t = await startTestApp({ env: { SIGN_MIN_RESPONSE_MS: '300' } });
    const organiser = await createAccount(t, AccountRole.Organiser);
    const moderator = await createAccount(t, AccountRole.Moderator);
    petition = await openPetition(t, organiser, moderator);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers a first and a repeated signature no sooner than SIGN_MIN_RESPONSE_MS', async () => {
    const elapsed: number[] = [];
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      await t
        .http()
        .post(`/v1/petitions/${petition.id}/signatures`)
        .send({ fullName: 'Oleg Primerov', email: 'oleg.primerov@example.org' })
        .expect(202);
      elapsed.push(performance.now() - started);
    }
    expect(elapsed[0]).toBeGreaterThanOrEqual(300);
    expect(elapsed[1]).toBeGreaterThanOrEqual(300);
  });
});

/**
 * Signs that arrive together are written together (one statement per petition per batch): each
 * request must still get its own answer, and each signature exactly one row, event and count.
 */
describe('signing under concurrency', () => {
  let t: TestApp;
  let organiser: TestAccount;
  let moderator: TestAccount;

  beforeAll(async () => {
    t = await startTestApp({ env: { SIGN_MIN_RESPONSE_MS: '0' } });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers each of many concurrent signers on two petitions and counts each once', async () => {
    const first = await openPetition(t, organiser, moderator);
    const second = await openPetition(t, organiser, moderator, {
      requireEmailConfirmation: false,
    });
    const draft = await createPetition(t, organiser);
    const sign = (ref: string, n: number) =>
      t
        .http()
        .post(`/v1/petitions/${ref}/signatures`)
        .send({
          fullName: `Vera Primerova ${'I'.repeat(1 + (n % 3))}`,
          email: `v${n}@example.test`,
        });

    const responses = await Promise.all([
      ...Array.from({ length: 120 }, (_, n) => sign(first.id, n)),
      // By slug, and with the same addresses as on the first petition: a signer may sign both.
      ...Array.from({ length: 80 }, (_, n) => sign(second.slug, n)),
      // Repeats inside the same moment: one signature each.
      ...Array.from({ length: 20 }, (_, n) => sign(first.id, n)),
      sign(draft.id, 1000),
      sign('no-such-petition', 1001),
    ]);
    const statuses = responses.map((res) => res.status);
    expect(statuses.slice(0, 220)).toEqual(Array(220).fill(202));
    expect(statuses.slice(220)).toEqual([404, 404]);

    for (const [petition, expected] of [
      [first, 120],
      [second, 80],
    ] as const) {
      const { rows } = await t.db.query<{ signatures: number; events: number }>(
        `SELECT count(DISTINCT s.id)::int AS signatures, count(e.id)::int AS events
           FROM signatures s JOIN signature_events e ON e.signature_id = s.id AND e.from_status IS NULL
          WHERE s.petition_id = $1`,
        [petition.id],
      );
      expect(rows[0]).toEqual({ signatures: expected, events: expected });
    }
    const counted = await countsMatchRows(t, first.id);
    expect(counted.unconfirmed).toBe(120);
    const total = Object.values(await countsMatchRows(t, second.id)).reduce((a, b) => a + b, 0);
    expect(total).toBe(80);
  });
});

/** Odd input on the public signing routes gets a 4xx, never a 500. */
describe('signing with odd input', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let petition: PetitionBody;

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({ env: { SMTP_URL: smtp.url, SIGN_MIN_RESPONSE_MS: '0' } });
    const organiser = await createAccount(t, AccountRole.Organiser);
    const moderator = await createAccount(t, AccountRole.Moderator);
    petition = await openPetition(t, organiser, moderator);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('refuses a NUL character in any field with 400, and a NUL in the petition reference with 404', async () => {
    const res = await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures`)
      .send({ fullName: 'Anna\u0000Testova', email: 'anna.nul@example.org' })
      .expect(400);
    expect(res.body.code).toBe('validation_failed');
    await t
      .http()
      .post('/v1/petitions/a%00b/signatures')
      .send({ fullName: 'Anna Testova', email: 'anna.nul@example.org' })
      .expect(404);
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM signatures');
    expect(rows[0].n).toBe(0);
  });

  it('refuses a crafted cursor on the public list with 400', async () => {
    const cursor = Buffer.from(
      JSON.stringify(['1', '00000000-0000-4000-8000-000000000001']),
    ).toString('base64url');
    const res = await t.http().get(`/v1/petitions/${petition.id}/signatures?cursor=${cursor}`);
    expect({ status: res.status, code: res.body.code }).toEqual({
      status: 400,
      code: 'invalid_cursor',
    });
  });

  it('keeps a mail server’s words, which quote the address, out of the failed job in Redis', async () => {
    const email = 'greylisted.signer@example.org';
    smtp.deferRecipients = /greylisted/;
    try {
      await t
        .http()
        .post(`/v1/petitions/${petition.id}/signatures`)
        .send({ fullName: 'Grey Listova', email })
        .expect(202);
      const { rows } = await waitFor('the signature row', async () => {
        const r = await t.db.query('SELECT work_batch FROM signatures WHERE email_domain = $1', [
          'example.org',
        ]);
        return r.rowCount ? r : undefined;
      });
      // The mail went out with its sign statement's batch, in a job keyed by the batch.
      const id = rows[0].work_batch as string;
      const queue = t.app.get(JobProducer).queue(JobName.SendSignerMails);
      const job = await waitFor('a failed attempt', async () => {
        const j = await queue.getJob(id);
        return j && j.attemptsMade > 0 ? j : undefined;
      });
      expect(job.failedReason).toMatch(/mail delivery failed/);
      expect(JSON.stringify([job.failedReason, job.stacktrace])).not.toContain('greylisted.signer');
    } finally {
      smtp.deferRecipients = null;
    }
  });
});
