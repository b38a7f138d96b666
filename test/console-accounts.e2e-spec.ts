import { AccountRole } from '../src/accounts/account-role.js';
import { consoleSession, csrfFor, FORM, hiddenField } from './support/console.js';
import { createAccount, type TestAccount } from './support/factories.js';
import { SmtpSink } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** The token shown once on a token page. */
function tokenOn(html: string): string {
  const match = /id="token" type="text" readonly value="([A-Za-z0-9_-]{43})"/.exec(html);
  if (!match) throw new Error('no token on the page');
  return match[1];
}

/** Admins manage accounts in the console: the same rules as the JSON API's endpoints. */
describe('console accounts', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let admin: TestAccount;
  let adminCookie: string;

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({ env: { SMTP_URL: smtp.url, RATE_LIMIT_SIGN_IN: '100/900' } });
    admin = await createAccount(t, AccountRole.Admin);
    adminCookie = await consoleSession(t, smtp, admin.email);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  const post = async (path: string, fields: Record<string, string>, cookie = adminCookie) =>
    t
      .http()
      .post(path)
      .set('cookie', cookie)
      .type(FORM)
      .send({ _csrf: await csrfFor(t, cookie, '/console/accounts'), ...fields });

  it('creates an account, showing its token once, and refuses bad or duplicate input', async () => {
    const created = await post('/console/accounts?lang=en', {
      email: 'olga.organiser@example.test',
      displayName: 'Olga Organiser',
      role: 'organiser',
    });
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const token = tokenOn(created.text);
    const me = await t.http().get('/v1/me').set('authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toMatchObject({ email: 'olga.organiser@example.test', role: 'organiser' });
    const list = await t
      .http()
      .get('/console/accounts?lang=en')
      .set('cookie', adminCookie)
      .expect(200);
    expect(list.text).toContain('Olga Organiser');
    expect(list.text).not.toContain(token);

    const bad = await post('/console/accounts?lang=en', {
      email: 'nope',
      displayName: '',
      role: 'organiser',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('email must be an email address');
    expect(bad.text).toContain('displayName is required');
    expect(bad.text).toContain('value="nope"');

    const dup = await post('/console/accounts?lang=en', {
      email: 'Olga.Organiser@example.test',
      displayName: 'Olga again',
      role: 'organiser',
    });
    expect(dup.status).toBe(409);
    expect(dup.text).toContain('An account with this email already exists');
  });

  it('gives a new token, after which the old one is refused', async () => {
    const account = await createAccount(t, AccountRole.Moderator);
    const res = await post(`/console/accounts/${account.id}/token?lang=en`, {});
    expect(res.status).toBe(200);
    const token = tokenOn(res.text);
    await t.http().get('/v1/me').set(account.auth).expect(401);
    await t.http().get('/v1/me').set('authorization', `Bearer ${token}`).expect(200);
  });

  it('ends an account’s sessions, and deactivates it: its session and token are refused', async () => {
    const account = await createAccount(t, AccountRole.Organiser);
    const cookie = await consoleSession(t, smtp, account.email);
    const ended = await post(`/console/accounts/${account.id}/sessions`, {});
    expect(ended.status).toBe(303);
    await t.http().get('/console').set('cookie', cookie).expect(303);

    const again = await consoleSession(t, smtp, account.email);
    const res = await post(`/console/accounts/${account.id}/deactivate`, {});
    expect(res.status).toBe(303);
    const notice = await t.http().get(res.headers.location).set('cookie', adminCookie).expect(200);
    expect(notice.text).toContain('The account is deactivated');
    await t.http().get('/console').set('cookie', again).expect(303);
    await t.http().get('/v1/me').set(account.auth).expect(401);
  });

  it('is not there for other roles, and refuses forms without their token', async () => {
    const organiser = await createAccount(t, AccountRole.Organiser);
    const cookie = await consoleSession(t, smtp, organiser.email);
    await t.http().get('/console/accounts').set('cookie', cookie).expect(404);
    const csrf = hiddenField((await t.http().get('/console').set('cookie', cookie)).text, '_csrf');
    await t
      .http()
      .post(`/console/accounts/${organiser.id}/token`)
      .set('cookie', cookie)
      .type(FORM)
      .send({ _csrf: csrf })
      .expect(404);
    const victim = await createAccount(t, AccountRole.Moderator);
    await t
      .http()
      .post(`/console/accounts/${victim.id}/deactivate`)
      .set('cookie', adminCookie)
      .type(FORM)
      .send({})
      .expect(403);
    await t.http().get('/v1/me').set(victim.auth).expect(200);
  });
});
