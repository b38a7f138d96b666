import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AccountRole } from '../src/accounts/account-role.js';
import {
  adminAuth,
  createAccount,
  openPetition,
  type PetitionBody,
  type TestAccount,
} from './support/factories.js';
import { type CaughtMail, SmtpSink, tokenFrom } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { databaseUrl } from './support/test-env.js';
import { waitFor } from './support/wait.js';

const run = promisify(execFile);

/** The signer whose data a withdrawal must erase: made-up words found nowhere else. */
const SIGNER = {
  fullName: 'Agafya Unikalnova',
  email: 'agafya.unikalnova@example.org',
  district: 'Zarechny-Unikalny',
  title: 'Deputy of Unikalny ward',
  comment: 'Comment of Agafya, quxfrob-7731',
  displayPublicly: true,
};
const USER_AGENT = 'AgafyaBrowser/7.7 (unikalny)';

/**
 * Erasure on withdrawal (issue 14, item 3): the personal fields go at once; status, events and
 * counts stay; the token still shows `withdrawn`; another petition's signature of the same
 * address keeps its data.
 */
describe('withdrawal erases the signer’s data', () => {
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

  const sign = (petition: PetitionBody, body: Record<string, unknown> = SIGNER) =>
    t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures`)
      .set('User-Agent', USER_AGENT)
      .send(body)
      .expect(202);
  const mailNumber = (email: string, n: number): Promise<CaughtMail> =>
    waitFor(`mail ${n} to the signer`, async () => smtp.mailsTo(email)[n - 1]);
  const lookup = async (token: string) =>
    (await t.http().post('/v1/signatures/lookup').send({ token })).body as { status: string };
  const row = async (petition: PetitionBody) =>
    (await t.db.query(`SELECT s.* FROM signatures s WHERE s.petition_id = $1`, [petition.id]))
      .rows[0] as Record<string, unknown> & {
      id: string;
      email_encrypted: Buffer | null;
      source_index: Buffer | null;
      user_agent_index: Buffer | null;
    };
  /** The whole database as pg_dump writes it: every row of every table. */
  const dump = async () =>
    (
      await run('pg_dump', ['--data-only', '--no-owner', databaseUrl(t.databaseName)], {
        maxBuffer: 256 * 1024 * 1024,
      })
    ).stdout;
  const hex = (b: Buffer) => b.toString('hex');
  const signedAndVerified = async (petition: PetitionBody, n = 1) => {
    await sign(petition);
    const mail = await mailNumber(SIGNER.email, n);
    await waitFor('verified', async () =>
      (await lookup(tokenFrom(mail, 'withdraw'))).status === 'verified' ? true : undefined,
    );
    return tokenFrom(mail, 'withdraw');
  };

  it('leaves none of the withdrawn signer’s fields in a database dump', async () => {
    const petition = await openPetition(t, organiser, moderator, {
      requireEmailConfirmation: false,
    });
    const token = await signedAndVerified(petition);
    const before = await row(petition);
    expect(before.full_name).toBe(SIGNER.fullName);
    expect(before.source_index).not.toBeNull();
    expect(before.user_agent_index).not.toBeNull();
    const secrets = {
      emailCiphertext: hex(before.email_encrypted!),
      sourceHash: hex(before.source_index!),
      userAgentHash: hex(before.user_agent_index!),
    };
    const beforeDump = await dump();
    for (const needle of [SIGNER.fullName, SIGNER.comment, SIGNER.district, SIGNER.title])
      expect(beforeDump).toContain(needle);
    for (const needle of Object.values(secrets)) expect(beforeDump).toContain(needle);

    await t.http().post('/v1/signatures/withdraw').send({ token }).expect(200);

    const afterDump = await dump();
    for (const needle of [
      SIGNER.fullName,
      SIGNER.email,
      SIGNER.comment,
      SIGNER.district,
      SIGNER.title,
      USER_AGENT,
      ...Object.values(secrets),
    ]) {
      expect({ needle, found: afterDump.includes(needle) }).toEqual({ needle, found: false });
    }
    const after = await row(petition);
    expect(after).toMatchObject({
      status: 'withdrawn',
      full_name: null,
      name_key: null,
      district: null,
      title: null,
      comment: null,
      source_index: null,
      user_agent_index: null,
      token_encrypted: null,
      email_encrypted: null,
      display_publicly: false,
    });
    // What stays: the status and its events, the counts, the token's hash (the link still
    // answers) and the address's blind index (one signature per address).
    expect(after.token_hash).not.toBeNull();
    expect((await lookup(token)).status).toBe('withdrawn');
    const events = await t.db.query(
      `SELECT to_status FROM signature_events WHERE signature_id = $1 ORDER BY id`,
      [after.id],
    );
    expect(events.rows.map((e) => e.to_status)).toEqual(['pending', 'verified', 'withdrawn']);
    await waitFor('counts', async () => {
      const c = (
        await t.http().get(`/v1/petitions/${petition.id}/counts`).set(adminAuth).expect(200)
      ).body as Record<string, number>;
      return c.withdrawn === 1 && c.verified === 0 ? c : undefined;
    });
    expect(after.email_index).not.toBeNull();
  });

  it('keeps another petition’s signature of the same address whole, and its mail working', async () => {
    const email = 'agafya.twice@example.org';
    const signer = { ...SIGNER, email, comment: 'Comment twice, zorblat-1189' };
    const first = await openPetition(t, organiser, moderator, { requireEmailConfirmation: false });
    const second = await openPetition(t, organiser, moderator, { requireEmailConfirmation: false });
    await sign(first, signer);
    await sign(second, signer);
    const firstToken = tokenFrom(
      await waitFor('the first petition’s mail', async () =>
        smtp.mailsTo(email).find((m) => m.subject.includes(String(first.title))),
      ),
      'withdraw',
    );
    await waitFor('both mails', async () => (smtp.mailsTo(email).length === 2 ? true : undefined));

    await t.http().post('/v1/signatures/withdraw').send({ token: firstToken }).expect(200);
    expect(await row(first)).toMatchObject({ full_name: null, comment: null });
    const kept = await row(second);
    expect(kept).toMatchObject({ full_name: SIGNER.fullName, comment: signer.comment });
    expect(kept.email_encrypted).not.toBeNull();

    // Withdraw the second too: now nothing needs the address's ciphertext. Signing a third
    // petition puts it back, and its mail goes out.
    const secondToken = tokenFrom(
      smtp.mailsTo(email).find((m) => m.subject.includes(String(second.title)))!,
      'withdraw',
    );
    await t.http().post('/v1/signatures/withdraw').send({ token: secondToken }).expect(200);
    expect((await row(second)).email_encrypted).toBeNull();
    const third = await openPetition(t, organiser, moderator, { requireEmailConfirmation: false });
    await sign(third, signer);
    await mailNumber(email, 3);
    expect((await row(third)).email_encrypted).not.toBeNull();
  });
});
