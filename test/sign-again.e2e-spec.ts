import { AccountRole } from '../src/accounts/account-role.js';
import { SignatureExpiryService } from '../src/signatures/signature-expiry.service.js';
import {
  createAccount,
  openPetition,
  type PetitionBody,
  type TestAccount,
  adminAuth,
} from './support/factories.js';
import { type CaughtMail, SmtpSink, tokenFrom } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

/** Signing again: a lapsed signature starts over, a lost mail is sent again, the rest is unchanged. */
describe('signing again', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let organiser: TestAccount;
  let moderator: TestAccount;

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({
      env: { SMTP_URL: smtp.url, SIGN_MIN_RESPONSE_MS: '0', SOURCE_BURST_LIMIT: '100000' },
    });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const sign = async (petition: PetitionBody, email: string, fullName = 'Lidia Primerova') => {
    const res = await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures`)
      .send({ fullName, email, district: 'District 4' })
      .expect(202);
    expect(res.body).toEqual({ status: 'received' });
  };
  const mailNumber = (email: string, n: number): Promise<CaughtMail> =>
    waitFor(`mail ${n} to the signer`, async () => smtp.mailsTo(email)[n - 1]);
  const lookup = async (token: string) =>
    (await t.http().post('/v1/signatures/lookup').send({ token })).body as {
      status: string;
      code?: string;
    };
  const counts = async (petition: PetitionBody) =>
    (await t.http().get(`/v1/petitions/${petition.id}/counts`).set(adminAuth).expect(200))
      .body as Record<string, number>;
  const rows = async (petition: PetitionBody) =>
    (await t.db.query('SELECT id, status FROM signatures WHERE petition_id = $1', [petition.id]))
      .rows as Array<{ id: string; status: string }>;

  it('starts an expired signature over with a new mail, and counts it once', async () => {
    const petition = await openPetition(t, organiser, moderator);
    const email = 'lidia.expired@example.org';
    await sign(petition, email);
    const first = tokenFrom(await mailNumber(email, 1));
    await t.db.query(
      `UPDATE signatures SET token_expires_at = now() - interval '1 minute' WHERE petition_id = $1`,
      [petition.id],
    );
    await t.app.get(SignatureExpiryService).expireDue();
    expect((await lookup(first)).status).toBe('expired');

    await sign(petition, email, 'Lidia Primerova-Testova');
    const second = tokenFrom(await mailNumber(email, 2));
    expect(second).not.toBe(first);
    expect((await lookup(first)).code).toBe('invalid_token');
    await t.http().post('/v1/signatures/confirm').send({ token: second }).expect(200);
    await waitFor('verified', async () =>
      (await lookup(second)).status === 'verified' ? true : undefined,
    );

    const [row] = await rows(petition);
    expect((await rows(petition)).length).toBe(1);
    const full = await t.db.query('SELECT full_name FROM signatures WHERE id = $1', [row.id]);
    expect(full.rows[0].full_name).toBe('Lidia Primerova-Testova');
    const events = await t.db.query(
      `SELECT from_status, to_status, actor_type FROM signature_events
        WHERE signature_id = $1 ORDER BY id`,
      [row.id],
    );
    expect(events.rows.map((e) => `${e.from_status}→${e.to_status}`)).toEqual([
      'null→unconfirmed',
      'unconfirmed→expired',
      'expired→unconfirmed',
      'unconfirmed→pending',
      'pending→verified',
    ]);
    await waitFor('counts', async () => {
      const c = await counts(petition);
      return c.verified === 1 && c.expired === 0 && c.unconfirmed === 0 ? c : undefined;
    });
  });

  it('starts a withdrawn signature over when its signer signs again', async () => {
    const petition = await openPetition(t, organiser, moderator, {
      requireEmailConfirmation: false,
    });
    const email = 'lidia.withdrawn@example.org';
    await sign(petition, email);
    const first = tokenFrom(await mailNumber(email, 1), 'withdraw');
    await t.http().post('/v1/signatures/withdraw').send({ token: first }).expect(200);

    await sign(petition, email);
    const second = tokenFrom(await mailNumber(email, 2), 'withdraw');
    await waitFor('verified again', async () =>
      (await lookup(second)).status === 'verified' ? true : undefined,
    );
    await waitFor('counts', async () => {
      const c = await counts(petition);
      return c.verified === 1 && c.withdrawn === 0 ? c : undefined;
    });
  });

  it('sends a lost confirmation mail again, but not more than once an hour', async () => {
    const petition = await openPetition(t, organiser, moderator);
    const email = 'lidia.spamfolder@example.org';
    await sign(petition, email);
    const first = tokenFrom(await mailNumber(email, 1));
    await waitFor('the mail marked sent', async () => {
      const r = await t.db.query(
        'SELECT 1 FROM signatures WHERE petition_id = $1 AND mail_sent_at IS NOT NULL',
        [petition.id],
      );
      return r.rowCount ? true : undefined;
    });

    // Within the hour: nothing new. A later signer's mail arriving shows the queue has moved on.
    await sign(petition, email);
    await sign(petition, 'someone.else@example.org', 'Kirill Testov');
    await mailNumber('someone.else@example.org', 1);
    expect(smtp.mailsTo(email)).toHaveLength(1);

    await t.db.query(
      `UPDATE signatures SET mail_sent_at = now() - interval '2 hours'
        WHERE petition_id = $1 AND status = 'unconfirmed'`,
      [petition.id],
    );
    await sign(petition, email);
    const second = tokenFrom(await mailNumber(email, 2));
    expect(second).not.toBe(first);
    expect((await lookup(first)).code).toBe('invalid_token');
    expect((await lookup(second)).status).toBe('unconfirmed');
    expect((await rows(petition)).length).toBe(2);
  });
});
