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

/**
 * Signing again: a lapsed signature starts over, a lost mail is sent again, a withdrawal stays
 * until the address's owner confirms (issue 13, item 5), the rest is unchanged.
 */
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

  const publicCounts = async (petition: PetitionBody) =>
    (await t.http().get(`/v1/petitions/${petition.id}/counts`).expect(200)).text;
  const withdrawnRow = async (petition: PetitionBody) =>
    (
      await t.db.query(
        `SELECT id, status, full_name FROM signatures WHERE petition_id = $1 AND status = 'withdrawn'`,
        [petition.id],
      )
    ).rows as Array<{ id: string; status: string; full_name: string | null }>;

  it('keeps a withdrawal when someone else signs with that address; the owner’s confirmation brings it back', async () => {
    const petition = await openPetition(t, organiser, moderator);
    const email = 'lidia.withdrawn@example.org';
    await sign(petition, email);
    const first = tokenFrom(await mailNumber(email, 1));
    await t.http().post('/v1/signatures/confirm').send({ token: first }).expect(200);
    await waitFor('verified', async () =>
      (await lookup(first)).status === 'verified' ? true : undefined,
    );
    await t.http().post('/v1/signatures/withdraw').send({ token: first }).expect(200);
    await waitFor('public withdrawn = 1', async () =>
      JSON.parse(await publicCounts(petition)).withdrawn === 1 ? true : undefined,
    );
    const before = await publicCounts(petition);

    // A stranger signs with the address, under a name of their choosing. A later signer's mail,
    // and the moderators' counts seeing them, show the work has been done.
    await sign(petition, email, 'Stranger Podmenov');
    await sign(petition, 'lidia.marker@example.org', 'Kirill Metkin');
    const offer = await mailNumber(email, 2);
    await mailNumber('lidia.marker@example.org', 1);
    await waitFor('moderator sees the marker', async () =>
      (await counts(petition)).unconfirmed === 1 ? true : undefined,
    );
    expect(await withdrawnRow(petition)).toEqual([
      expect.objectContaining({ status: 'withdrawn', full_name: null }),
    ]);
    expect((await lookup(first)).status).toBe('withdrawn');
    expect(await publicCounts(petition)).toBe(before);
    expect((await counts(petition)).withdrawn).toBe(1);

    // The mail went to the address: only its owner can confirm. Until then the new token shows
    // a signature waiting for confirmation.
    const second = tokenFrom(offer);
    expect(second).not.toBe(first);
    expect((await lookup(second)).status).toBe('unconfirmed');
    // The mail's link shows the confirm button, as for any signature awaiting confirmation.
    const page = await t.http().get(`/signatures/confirm?token=${second}`).expect(200);
    expect(page.text).toContain('<form method="post" action="/signatures/confirm">');
    await t.http().post('/v1/signatures/confirm').send({ token: second }).expect(200);
    await waitFor('verified again', async () =>
      (await lookup(second)).status === 'verified' ? true : undefined,
    );
    const [row] = (await rows(petition)).filter((r) => r.status === 'verified');
    const events = await t.db.query(
      `SELECT from_status, to_status FROM signature_events WHERE signature_id = $1 ORDER BY id`,
      [row.id],
    );
    expect(events.rows.map((e) => `${e.from_status}→${e.to_status}`)).toEqual([
      'null→unconfirmed',
      'unconfirmed→pending',
      'pending→verified',
      'verified→withdrawn',
      'withdrawn→pending',
      'pending→verified',
    ]);
    await waitFor('public counts moved', async () => {
      const c = JSON.parse(await publicCounts(petition));
      return c.verified === 1 && c.withdrawn === 0 ? c : undefined;
    });
  });

  it('without confirmation, holds a re-sign after withdrawal for the owner’s mail or earlier token', async () => {
    const petition = await openPetition(t, organiser, moderator, {
      requireEmailConfirmation: false,
    });
    const email = 'lidia.noconfirm@example.org';
    await sign(petition, email);
    const earlier = tokenFrom(await mailNumber(email, 1), 'withdraw');
    await waitFor('verified', async () =>
      (await lookup(earlier)).status === 'verified' ? true : undefined,
    );
    await t.http().post('/v1/signatures/withdraw').send({ token: earlier }).expect(200);

    // Someone signs again: nothing comes back; a confirmation mail goes to the address.
    await sign(petition, email, 'Stranger Podmenov');
    const offer = await mailNumber(email, 2);
    expect(offer.text).toContain('/signatures/confirm?token=');
    expect((await withdrawnRow(petition)).length).toBe(1);
    // The mail's withdraw link says no: the held re-sign is dropped, nothing else changes.
    await t
      .http()
      .post('/v1/signatures/withdraw')
      .send({ token: tokenFrom(offer, 'withdraw') })
      .expect(200);
    expect((await lookup(tokenFrom(offer))).code).toBe('invalid_token');
    expect((await withdrawnRow(petition)).length).toBe(1);

    // The owner signs again and confirms with the signature's earlier token.
    await sign(petition, email, 'Lidia Primerova');
    await mailNumber(email, 3);
    await t.http().post('/v1/signatures/confirm').send({ token: earlier }).expect(200);
    await waitFor('verified again', async () =>
      (await rows(petition)).some((r) => r.status === 'verified') ? true : undefined,
    );
    await waitFor('counts', async () => {
      const c = await counts(petition);
      return c.verified === 1 && c.withdrawn === 0 ? c : undefined;
    });
  });

  it('does not let a second re-sign within the hour replace the one already mailed', async () => {
    const petition = await openPetition(t, organiser, moderator);
    const email = 'lidia.twice@example.org';
    await sign(petition, email);
    const first = tokenFrom(await mailNumber(email, 1));
    await t.http().post('/v1/signatures/withdraw').send({ token: first }).expect(200);
    await sign(petition, email, 'Lidia Primerova');
    const offered = tokenFrom(await mailNumber(email, 2));
    await sign(petition, email, 'Stranger Podmenov');
    await sign(petition, 'lidia.twice.marker@example.org', 'Kirill Metkin');
    await mailNumber('lidia.twice.marker@example.org', 1);
    expect(smtp.mailsTo(email)).toHaveLength(2);
    await t.http().post('/v1/signatures/confirm').send({ token: offered }).expect(200);
    const back = await t.db.query(
      `SELECT full_name FROM signatures WHERE petition_id = $1 AND status <> 'unconfirmed'`,
      [petition.id],
    );
    expect(back.rows).toEqual([{ full_name: 'Lidia Primerova' }]);
  });

  it('lets a held re-sign lapse: its token expires and the signature stays withdrawn', async () => {
    const petition = await openPetition(t, organiser, moderator);
    const email = 'lidia.lapsed@example.org';
    await sign(petition, email);
    const first = tokenFrom(await mailNumber(email, 1));
    await t.http().post('/v1/signatures/withdraw').send({ token: first }).expect(200);
    await sign(petition, email);
    const second = tokenFrom(await mailNumber(email, 2));
    await t.db.query(
      `UPDATE signature_resign_holds SET token_expires_at = now() - interval '1 minute'
        WHERE signature_id IN (SELECT id FROM signatures WHERE petition_id = $1)`,
      [petition.id],
    );
    const confirm = await t.http().post('/v1/signatures/confirm').send({ token: second });
    expect(confirm.status).toBe(410);
    await t.app.get(SignatureExpiryService).expireDue();
    expect((await lookup(second)).code).toBe('invalid_token');
    expect((await lookup(first)).status).toBe('withdrawn');
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
