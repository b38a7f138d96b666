import { AccountRole } from '../src/accounts/account-role.js';
import {
  consoleSession,
  csrfFor,
  FORM,
  hiddenField,
  requestSignIn,
  signInLink,
} from './support/console.js';
import { adminAuth, createAccount, type TestAccount } from './support/factories.js';
import { SmtpSink } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The console's sign-in and session rules over HTTP: one-time mailed links, the same answer for
 * known and unknown addresses, server-side sessions that expire and end, and anti-forgery tokens
 * tied to the session.
 */
describe('console sessions', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let organiser: TestAccount;
  let moderator: TestAccount;

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({ env: { SMTP_URL: smtp.url, RATE_LIMIT_SIGN_IN: '50/900' } });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  it('answers a link request the same whether or not the address has an account', async () => {
    const known = await requestSignIn(t, organiser.email);
    const unknown = await requestSignIn(t, 'nobody-here@example.test');
    expect(unknown).toBe(known);
    expect(known).toContain('If this address belongs to an account');
    await signInLink(smtp, organiser.email);
    expect(smtp.mailsTo('nobody-here@example.test')).toHaveLength(0);
  });

  it('signs in through the link’s button only, once, with a cookie that holds only a random id', async () => {
    await requestSignIn(t, moderator.email);
    const link = await signInLink(smtp, moderator.email);
    // Opening the link (as a mail scanner would) signs no one in, and leaves the link usable.
    const page = await t.http().get(link).expect(200);
    expect(page.headers['set-cookie']).toBeUndefined();
    const send = () =>
      t
        .http()
        .post('/console/sign-in/link')
        .type(FORM)
        .send({
          formToken: hiddenField(page.text, 'formToken'),
          token: hiddenField(page.text, 'token'),
        });
    const res = await send().expect(303);
    expect(res.headers.location).toMatch(/^\/console\?/);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).join('\n');
    expect(cookie).toMatch(/^cs_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure'); // PUBLIC_BASE_URL is http here
    const id = /cs_session=([^;]+)/.exec(cookie)![1];
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS n FROM console_sessions WHERE encode(id_hash, 'escape') LIKE $1`,
      [`%${id}%`],
    );
    expect(rows[0].n).toBe(0); // only a hash is stored
    await send().expect(410); // used once
  });

  it('refuses a link that has expired', async () => {
    await requestSignIn(t, organiser.email);
    const link = await signInLink(smtp, organiser.email);
    await t.db.query(`UPDATE sign_in_links SET expires_at = now() - interval '1 second'`);
    const page = await t.http().get(link).expect(200);
    const res = await t
      .http()
      .post('/console/sign-in/link')
      .type(FORM)
      .send({
        formToken: hiddenField(page.text, 'formToken'),
        token: hiddenField(page.text, 'token'),
      })
      .expect(410);
    expect(res.text).toContain('This link has expired');
  });

  it('refuses a sign-in link posted without its anti-forgery field', async () => {
    await requestSignIn(t, organiser.email);
    const link = await signInLink(smtp, organiser.email);
    const token = new URL(`http://x${link}`).searchParams.get('token');
    await t.http().post('/console/sign-in/link').type(FORM).send({ token }).expect(403);
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS n FROM sign_in_links WHERE used_at IS NOT NULL AND account_id = $1`,
      [organiser.id],
    );
    expect(rows[0].n).toBe(0);
  });

  it('refuses an expired or ended session', async () => {
    const cookie = await consoleSession(t, smtp, organiser.email);
    await t.http().get('/console').set('cookie', cookie).expect(200);
    await t.db.query(
      `UPDATE console_sessions SET expires_at = now() - interval '1 second' WHERE account_id = $1`,
      [organiser.id],
    );
    const expired = await t.http().get('/console').set('cookie', cookie).expect(303);
    expect(expired.headers.location).toBe('/console/sign-in');

    const second = await consoleSession(t, smtp, organiser.email);
    const csrf = await csrfFor(t, second);
    await t
      .http()
      .post('/console/sign-out')
      .set('cookie', second)
      .type(FORM)
      .send({ _csrf: csrf })
      .expect(303);
    await t.http().get('/console').set('cookie', second).expect(303);
  });

  it('refuses a form without its anti-forgery token, or with another session’s, and changes nothing', async () => {
    const mine = await consoleSession(t, smtp, organiser.email);
    const theirs = await consoleSession(t, smtp, moderator.email);
    await t.http().post('/console/sign-out').set('cookie', mine).type(FORM).send({}).expect(403);
    const wrong = await csrfFor(t, theirs);
    const res = await t
      .http()
      .post('/console/sign-out')
      .set('cookie', mine)
      .type(FORM)
      .send({ _csrf: wrong })
      .expect(403);
    expect(res.text).toContain('Nothing was changed');
    await t.http().get('/console').set('cookie', mine).expect(200); // still signed in
  });

  it('does not let one account’s cookie act as another, nor see another role’s pages', async () => {
    const cookie = await consoleSession(t, smtp, organiser.email);
    const home = await t.http().get('/console?lang=en').set('cookie', cookie).expect(200);
    expect(home.text).toContain('Test organiser');
    expect(home.text).not.toContain('Test moderator');
    expect(home.text).not.toContain('href="/console/review');
  });

  it('stops a deactivated account’s session and token at once', async () => {
    const account = await createAccount(t, AccountRole.Organiser);
    const cookie = await consoleSession(t, smtp, account.email);
    await t.http().post(`/v1/accounts/${account.id}/deactivate`).set(adminAuth).expect(200);
    await t.http().get('/console').set('cookie', cookie).expect(303);
    await t.http().get('/v1/me').set(account.auth).expect(401);
  });

  it('reads no upload without a live session', async () => {
    const res = await t
      .http()
      .post('/console/petitions/00000000-0000-4000-8000-000000000000/import')
      .attach('file', Buffer.alloc(4 * 1024 * 1024, 'a'), 'big.csv')
      .field('_csrf', 'x');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/console/sign-in');
  });

  it('shows the queue board to admins only, through the console session', async () => {
    const admin = await createAccount(t, AccountRole.Admin);
    const adminCookie = await consoleSession(t, smtp, admin.email);
    const board = await t.http().get('/admin/queues').set('cookie', adminCookie).expect(200);
    expect(board.text).toContain('Countersign queues');
    const queues = await t
      .http()
      .get('/admin/queues/api/queues')
      .set('cookie', adminCookie)
      .expect(200);
    expect(JSON.stringify(queues.body)).toContain('verification');
    const organiserCookie = await consoleSession(t, smtp, organiser.email);
    await t.http().get('/admin/queues').set('cookie', organiserCookie).expect(404);
    await t.http().get('/admin/queues/api/queues').set('cookie', organiserCookie).expect(404);
    await t.http().get('/admin/queues').set(adminAuth).expect(303); // a bearer token is not a session
  });

  it('limits link requests per address, with a 429 page that says when to try again', async () => {
    const limited = await startTestApp({
      env: { SMTP_URL: smtp.url, RATE_LIMIT_SIGN_IN: '2/900' },
    });
    try {
      const ask = async () => {
        const page = await limited.http().get('/console/sign-in').expect(200);
        return limited
          .http()
          .post('/console/sign-in')
          .type(FORM)
          .send({ formToken: hiddenField(page.text, 'formToken'), email: 'someone@example.test' });
      };
      await (
        await ask()
      ).ok;
      expect((await ask()).status).toBe(200);
      const third = await ask();
      expect(third.status).toBe(429);
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      expect(third.text).toContain('Too many tries');
    } finally {
      await limited.close();
    }
  });
});
