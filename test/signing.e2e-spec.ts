import { AccountRole } from '../src/accounts/account-role.js';
import {
  createAccount,
  openPetition,
  type PetitionBody,
  type TestAccount,
} from './support/factories.js';
import { SmtpSink, tokenFrom } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

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
    (await t.http().get(`/v1/petitions/${id}/counts`).expect(200)).body as Record<string, number>;

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

    const confirmed = await t.http().post('/v1/signatures/confirm').send({ token }).expect(200);
    expect(confirmed.body).toEqual({ status: 'pending' });

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

  it('serves the pages the mail links open, which change nothing until the signer presses the button', async () => {
    for (const action of ['confirm', 'withdraw']) {
      const res = await t.http().get(`/signatures/${action}?token=<script>x</script>`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toMatch(/script-src 'sha256-/);
      expect(res.text).toContain(`fetch('/v1/signatures/${action}'`);
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
