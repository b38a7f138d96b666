import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { AccountRole } from '../src/accounts/account-role.js';
import { SignatureExpiryService } from '../src/signatures/signature-expiry.service.js';
import {
  createAccount,
  createPetition,
  openPetition,
  type PetitionBody,
  type TestAccount,
  adminAuth,
} from './support/factories.js';
import { type CaughtMail, SmtpSink, tokenFrom } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

const BASE = 'https://sign.example.test';
const CYRILLIC = /[а-яё]/i;

/**
 * What a signer does after signing — confirm, withdraw, look up — and what can go wrong on the
 * way: unknown and expired tokens, closed or invisible petitions, repeat and concurrent
 * signatures, mail language, SMTP failures; and, last, that none of it leaks signer data into
 * the logs or the database in the clear.
 */
describe('signer flows', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let organiser: TestAccount;
  let moderator: TestAccount;
  /** Every email address a signer used in this file, for the privacy scan at the end. */
  const usedEmails = new Set<string>();

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({
      env: { SMTP_URL: smtp.url, PUBLIC_BASE_URL: BASE, SOURCE_BURST_LIMIT: '100000' },
      captureLogs: true,
    });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  const open = (overrides: Record<string, unknown> = {}): Promise<PetitionBody> =>
    openPetition(t, organiser, moderator, overrides);

  const sign = (
    petitionId: string,
    email: string,
    fullName: string,
    headers: Record<string, string> = {},
  ): request.Test => {
    usedEmails.add(email);
    return t
      .http()
      .post(`/v1/petitions/${petitionId}/signatures`)
      .set(headers)
      .send({ fullName, email, district: 'District 5' });
  };

  const mailTo = (email: string): Promise<CaughtMail> =>
    waitFor(`the mail to ${email}`, async () => smtp.mailsTo(email)[0]);

  const lines = (mail: CaughtMail): string[] => mail.text.split('\n').map((l) => l.trim());

  const signer = (action: 'confirm' | 'withdraw' | 'lookup', token: unknown): request.Test =>
    t.http().post(`/v1/signatures/${action}`).send({ token });

  const counts = async (id: string): Promise<Record<string, number>> =>
    (await t.http().get(`/v1/petitions/${id}/counts`).set(adminAuth).expect(200)).body as Record<
      string,
      number
    >;

  const waitForCounts = (id: string, expected: Record<string, number>) =>
    waitFor(`counts ${JSON.stringify(expected)}`, async () => {
      const c = await counts(id);
      return Object.entries(expected).every(([k, v]) => c[k] === v) ? c : undefined;
    });

  const waitForStatus = (token: string, status: string) =>
    waitFor(`status ${status}`, async () => {
      const r = await signer('lookup', token).expect(200);
      return r.body.status === status ? (r.body as Record<string, unknown>) : undefined;
    });

  /** Signs a new signature on an open petition and returns the token from its mail. */
  const signAndGetToken = async (petitionId: string, email: string, fullName: string) => {
    await sign(petitionId, email, fullName).expect(202);
    return tokenFrom(await mailTo(email), 'withdraw');
  };

  /** Every mail delivered to the same Gmail mailbox, whatever the dots, case or plus-tag. */
  const gmailBox = (address: string): string => {
    const [local, domain] = address.toLowerCase().split('@');
    return `${local.replace(/\+.*$/, '').replace(/\./g, '')}@${domain}`;
  };

  it('confirming twice answers 200 both times, the second with the current status', async () => {
    const petition = await open();
    const token = await signAndGetToken(
      petition.id,
      'anna.primerova@example.org',
      'Anna Primerova',
    );

    const before = await signer('lookup', token).expect(200);
    expect(before.body).toEqual({
      status: 'unconfirmed',
      petitionId: petition.id,
      reasonCode: null,
      updatedAt: expect.any(String),
    });

    const first = await signer('confirm', token).expect(200);
    expect(first.body).toEqual({ status: 'pending' });
    const second = await signer('confirm', token).expect(200);
    expect(['pending', 'verified']).toContain(second.body.status);
    expect(Object.keys(second.body)).toEqual(['status']);

    const lookup = await signer('lookup', token).expect(200);
    expect(lookup.body).toEqual({
      status: expect.stringMatching(/^(pending|verified)$/),
      petitionId: petition.id,
      reasonCode: null,
      updatedAt: expect.any(String),
    });
    const updatedAt = lookup.body.updatedAt as string;
    expect(new Date(updatedAt).toISOString()).toBe(updatedAt);

    // Exactly one confirmation was recorded, however many times the signer confirmed.
    const { rows } = await t.db.query(
      `SELECT e.actor_type FROM signature_events e JOIN signatures s ON s.id = e.signature_id
        WHERE s.petition_id = $1 AND e.from_status = 'unconfirmed' AND e.to_status = 'pending'`,
      [petition.id],
    );
    expect(rows).toEqual([{ actor_type: 'signer' }]);
  });

  it('withdraws a verified signature, idempotently, and moves it in the counts', async () => {
    const petition = await open();
    const token = await signAndGetToken(petition.id, 'boris.testov@example.org', 'Boris Testov');
    await signer('confirm', token).expect(200);
    await waitForStatus(token, 'verified');
    await waitForCounts(petition.id, { verified: 1, withdrawn: 0 });

    const first = await signer('withdraw', token).expect(200);
    expect(first.body).toEqual({ status: 'withdrawn' });
    const second = await signer('withdraw', token).expect(200);
    expect(second.body).toEqual({ status: 'withdrawn' });

    const c = await waitForCounts(petition.id, { verified: 0, withdrawn: 1 });
    expect(c).toMatchObject({ unconfirmed: 0, pending: 0, needsReview: 0, rejected: 0 });

    const lookup = await signer('lookup', token).expect(200);
    expect(lookup.body).toMatchObject({ status: 'withdrawn', petitionId: petition.id });

    const { rows } = await t.db.query(
      `SELECT e.from_status, e.actor_type, e.reason_code
         FROM signature_events e JOIN signatures s ON s.id = e.signature_id
        WHERE s.petition_id = $1 AND e.to_status = 'withdrawn'`,
      [petition.id],
    );
    expect(rows).toEqual([
      { from_status: 'verified', actor_type: 'signer', reason_code: 'signer_request' },
    ]);

    const confirm = await signer('confirm', token).expect(200);
    expect(confirm.body).toEqual({ status: 'withdrawn' });
  });

  it('answers 404 invalid_token to unknown tokens and 400 to missing or empty ones', async () => {
    const unknown = 'bm90LWEtcmVhbC10b2tlbi1qdXN0LWEtdGVzdC12YWx1ZQ';
    for (const action of ['confirm', 'withdraw', 'lookup'] as const) {
      const res = await signer(action, unknown).expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'invalid_token' });

      const missing = await t.http().post(`/v1/signatures/${action}`).send({}).expect(400);
      expect(missing.body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
      expect(missing.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'token' })]),
      );

      for (const empty of ['', '   ']) {
        const res400 = await signer(action, empty).expect(400);
        expect(res400.body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
      }
    }
  });

  it('refuses to confirm after the token expired, and the expiry job expires it', async () => {
    const petition = await open();
    const token = await signAndGetToken(petition.id, 'daria.testova@example.org', 'Daria Testova');
    const updated = await t.db.query(
      `UPDATE signatures SET token_expires_at = now() - interval '1 minute' WHERE petition_id = $1`,
      [petition.id],
    );
    expect(updated.rowCount).toBe(1);

    const late = await signer('confirm', token).expect(410);
    expect(late.body).toMatchObject({ statusCode: 410, code: 'token_expired' });
    expect((await signer('lookup', token).expect(200)).body.status).toBe('unconfirmed');

    // The app's own expiry job (every minute) may get there first; either way it ends expired.
    await t.app.get(SignatureExpiryService).expireDue();

    const lookup = await signer('lookup', token).expect(200);
    expect(lookup.body).toMatchObject({
      status: 'expired',
      petitionId: petition.id,
      reasonCode: 'confirmation_expired',
    });
    await waitForCounts(petition.id, { expired: 1, unconfirmed: 0, pending: 0 });

    const again = await signer('confirm', token).expect(410);
    expect(again.body).toMatchObject({ code: 'token_expired' });
  });

  it('refuses signing, confirming and withdrawing on a closed petition; 404 for invisible ones', async () => {
    const petition = await open();
    const token = await signAndGetToken(petition.id, 'egor.primerov@example.org', 'Egor Primerov');

    const closed = await t
      .http()
      .post(`/v1/petitions/${petition.id}/close`)
      .set(organiser.auth)
      .send({})
      .expect(200);
    expect(closed.body.status).toBe('closed');

    const signing = await sign(petition.id, 'fedor.testov@example.org', 'Fedor Testov').expect(409);
    expect(signing.body).toMatchObject({ statusCode: 409, code: 'petition_not_open' });
    const confirming = await signer('confirm', token).expect(409);
    expect(confirming.body).toMatchObject({ statusCode: 409, code: 'petition_not_open' });
    const withdrawing = await signer('withdraw', token).expect(409);
    expect(withdrawing.body).toMatchObject({ statusCode: 409, code: 'petition_not_open' });
    expect((await signer('lookup', token).expect(200)).body.status).toBe('unconfirmed');
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1`,
      [petition.id],
    );
    expect(rows[0].n).toBe(1);

    const unknown = await sign(randomUUID(), 'galina.testova@example.org', 'Galina Testova');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, code: 'not_found' });

    const draft = await createPetition(t, organiser);
    expect(draft.status).toBe('draft');
    const toDraft = await sign(draft.id, 'galina.testova@example.org', 'Galina Testova');
    expect(toDraft.status).toBe(404);
    expect(toDraft.body).toMatchObject({ statusCode: 404, code: 'not_found' });
    const bySlug = await sign(draft.slug, 'galina.testova@example.org', 'Galina Testova');
    expect(bySlug.status).toBe(404);
    const drafted = await t.db.query(
      `SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1`,
      [draft.id],
    );
    expect(drafted.rows[0].n).toBe(0);
  });

  it('without email confirmation: verified without confirming, receipt mail has only the withdraw link', async () => {
    const petition = await open({ requireEmailConfirmation: false });
    const email = 'irina.primerova@example.org';
    await sign(petition.id, email, 'Irina Primerova').expect(202);
    const mail = await mailTo(email);
    const token = tokenFrom(mail, 'withdraw');

    expect(lines(mail)).toContain(`${BASE}/signatures/withdraw?token=${token}`);
    expect(mail.text).not.toContain('/signatures/confirm?token=');
    expect(() => tokenFrom(mail, 'confirm')).toThrow();

    await waitForStatus(token, 'verified');
    await waitForCounts(petition.id, { verified: 1, unconfirmed: 0, pending: 0 });
  });

  it('writes the mail in Russian for ru petitions or a Russian Accept-Language, else English', async () => {
    const ru = await open({ language: 'ru' });
    const en = await open();

    const ruPetitionEmail = 'kirill.testov@example.org';
    await sign(ru.id, ruPetitionEmail, 'Kirill Testov').expect(202);
    const ruAcceptEmail = 'lidia.primerova@example.org';
    await sign(en.id, ruAcceptEmail, 'Lidia Primerova', {
      'Accept-Language': 'ru-RU,ru;q=0.9',
    }).expect(202);
    const deAcceptEmail = 'maxim.testov@example.org';
    await sign(en.id, deAcceptEmail, 'Maxim Testov', { 'Accept-Language': 'de' }).expect(202);

    for (const email of [ruPetitionEmail, ruAcceptEmail]) {
      const mail = await mailTo(email);
      expect(mail.subject).toMatch(CYRILLIC);
      expect(mail.text).toMatch(CYRILLIC);
      expect(lines(mail)).toContain(`${BASE}/signatures/confirm?token=${tokenFrom(mail)}`);
    }
    const english = await mailTo(deAcceptEmail);
    expect(english.subject).not.toMatch(CYRILLIC);
    expect(english.text).not.toMatch(CYRILLIC);
    expect(english.text).toMatch(/^Hello,/);
    expect(lines(english)).toContain(`${BASE}/signatures/confirm?token=${tokenFrom(english)}`);
  });

  it('answers a repeat signature exactly like the first, with no second row or mail', async () => {
    const petition = await open();
    const email = 'veratestova@gmail.com';
    const answer = (res: request.Response) => ({
      status: res.status,
      body: res.text,
      contentType: res.headers['content-type'],
      contentLength: res.headers['content-length'],
    });

    const first = answer(await sign(petition.id, email, 'Vera Testova'));
    expect(first.status).toBe(202);
    expect(JSON.parse(first.body)).toEqual({ status: 'received' });
    await mailTo(email);

    for (const again of ['VeraTestova@GMAIL.com', 'Vera.Testova+x@gmail.com']) {
      expect(answer(await sign(petition.id, again, 'Vera Testova'))).toEqual(first);
    }
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1`,
      [petition.id],
    );
    expect(rows[0].n).toBe(1);

    // A later signer's mail is enqueued after any mail the repeats could have caused.
    const later = 'nikolai.primerov@example.org';
    await sign(petition.id, later, 'Nikolai Primerov').expect(202);
    await mailTo(later);
    expect(
      smtp.mails.filter((m) => m.to.some((to) => gmailBox(to) === gmailBox(email))),
    ).toHaveLength(1);
    const after = await t.db.query(
      `SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1`,
      [petition.id],
    );
    expect(after.rows[0].n).toBe(2);
  });

  it('takes fifty concurrent identical signatures as one', async () => {
    const petition = await open();
    const email = 'olga.testova@example.org';

    const responses = await Promise.all(
      Array.from({ length: 50 }, () => sign(petition.id, email, 'Olga Testova')),
    );
    for (const res of responses) {
      expect(res.status).toBe(202);
      expect(res.text).toBe(responses[0].text);
    }
    expect(responses[0].body).toEqual({ status: 'received' });

    const { rows } = await t.db.query(
      `SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1 AND email_domain = $2`,
      [petition.id, 'example.org'],
    );
    expect(rows[0].n).toBe(1);
    await waitForCounts(petition.id, { unconfirmed: 1 });

    await mailTo(email);
    const later = 'pavel.primerov@example.test';
    await sign(petition.id, later, 'Pavel Primerov').expect(202);
    await mailTo(later);
    expect(smtp.mailsTo(email)).toHaveLength(1);
  });

  it('retries a mail the server deferred, and stops owing one it refused', async () => {
    const petition = await open();
    smtp.failNext = 2;
    const email = 'roman.testov@example.org';
    await sign(petition.id, email, 'Roman Testov').expect(202);
    const mail = await waitFor('the deferred mail', async () => smtp.mailsTo(email)[0], {
      timeoutMs: 20_000,
    });
    expect(smtp.failNext).toBe(0);
    expect(lines(mail)).toContain(`${BASE}/signatures/confirm?token=${tokenFrom(mail)}`);
    expect(smtp.mailsTo(email)).toHaveLength(1);

    const refusedPetition = await open();
    smtp.rejectRecipients = /refused/;
    try {
      const refused = 'refused.signer@example.org';
      await sign(refusedPetition.id, refused, 'Refused Signer').expect(202);
      const row = await waitFor('the outbox to give up', async () => {
        const { rows } = await t.db.query(
          `SELECT status FROM signatures
            WHERE petition_id = $1 AND token_encrypted IS NULL AND mail_sent_at IS NULL`,
          [refusedPetition.id],
        );
        return rows[0] as { status: string } | undefined;
      });
      expect(row.status).toBe('unconfirmed');
      expect(smtp.mailsTo(refused)).toHaveLength(0);
    } finally {
      smtp.rejectRecipients = null;
    }
  });

  it('leaves no signer email, token or IP in the logs or in the database in the clear', async () => {
    const emails = [...usedEmails];
    expect(emails.length).toBeGreaterThan(10);
    const tokens = [...new Set(smtp.mails.map((mail) => tokenFrom(mail, 'withdraw')))];
    expect(tokens.length).toBeGreaterThan(10);

    // Logs.
    expect(t.logs.length).toBeGreaterThan(0);
    const signatureLines = t.logs.filter((line) => /signature/i.test(line));
    expect(signatureLines.length).toBeGreaterThan(0);
    const leaks: string[] = [];
    for (const line of t.logs) {
      const lower = line.toLowerCase();
      for (const email of emails) if (lower.includes(email.toLowerCase())) leaks.push(line);
      for (const token of tokens) if (line.includes(token)) leaks.push(line);
    }
    for (const line of signatureLines) if (line.includes('127.0.0.1')) leaks.push(line);
    expect(leaks).toEqual([]);

    // Every text-like column of every table.
    const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
    const patterns = [...emails, ...tokens, '127.0.0.1'].map((s) => `%${likeEscape(s)}%`);
    const { rows: columns } = await t.db.query<{
      table_name: string;
      column_name: string;
      data_type: string;
    }>(
      `SELECT c.table_name, c.column_name, c.data_type
         FROM information_schema.columns c
         JOIN information_schema.tables tb
           ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
        WHERE c.table_schema = 'public' AND tb.table_type = 'BASE TABLE'
          AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea')`,
    );
    const scanned = new Set(columns.map((c) => `${c.table_name}.${c.column_name}`));
    for (const expected of [
      'signatures.email_encrypted',
      'signatures.source_global_encrypted',
      'data_keys.wrapped',
      'signatures.full_name',
      'signatures.token_hash',
      'signatures.checks',
      'signature_events.note',
    ]) {
      expect(scanned).toContain(expected);
    }
    const found: string[] = [];
    for (const { table_name, column_name, data_type } of columns) {
      const col = `"${column_name.replace(/"/g, '""')}"`;
      const text = data_type === 'bytea' ? `encode(${col}, 'escape')` : `${col}::text`;
      const { rows } = await t.db.query(
        `SELECT ${text} AS value FROM "${table_name.replace(/"/g, '""')}"
          WHERE ${text} ILIKE ANY($1::text[])`,
        [patterns],
      );
      for (const row of rows) found.push(`${table_name}.${column_name}: ${String(row.value)}`);
    }
    expect(found).toEqual([]);

    const { rows: encrypted } = await t.db.query<{ email_encrypted: Buffer }>(
      `SELECT email_encrypted FROM signatures WHERE email_encrypted IS NOT NULL`,
    );
    expect(encrypted.length).toBeGreaterThan(10);
    for (const { email_encrypted } of encrypted) {
      for (const email of emails) {
        expect(email_encrypted.includes(Buffer.from(email, 'utf8'))).toBe(false);
        expect(email_encrypted.includes(Buffer.from(email.toLowerCase(), 'utf8'))).toBe(false);
      }
    }
  });
});
