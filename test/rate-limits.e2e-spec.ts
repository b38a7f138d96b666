import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { AccountRole } from '../src/accounts/account-role.js';
import { Metrics } from '../src/common/metrics/metrics.js';
import { FORM, hiddenField, requestSignIn } from './support/console.js';
import { createAccount, openPetition, type TestAccount } from './support/factories.js';
import { SmtpSink } from './support/smtp-sink.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { REDIS_URL } from './support/test-env.js';
import { waitFor } from './support/wait.js';

/**
 * The abuse limits (RATE_LIMIT_SIGN, RATE_LIMIT_SIGN_ALL, RATE_LIMIT_SIGNER_TOKEN,
 * MAIL_LIMIT_PER_ADDRESS), with windows of a few seconds. Clients are told apart by
 * X-Forwarded-For, which the app believes from loopback (TRUST_PROXY=loopback), so each test
 * signs from sources of its own.
 */
const WINDOW_SECONDS = 4;
const LIMITS = {
  TRUST_PROXY: 'loopback',
  RATE_LIMIT_SIGN: `3/${WINDOW_SECONDS}`,
  RATE_LIMIT_SIGN_ALL: `5/${WINDOW_SECONDS}`,
  RATE_LIMIT_SIGNER_TOKEN: `3/${WINDOW_SECONDS}`,
  MAIL_LIMIT_PER_ADDRESS: `2/${WINDOW_SECONDS}`,
  RATE_LIMIT_SIGN_IN: '100/900',
  SOURCE_BURST_LIMIT: '100000',
};
/** A well-formed signer token that names no signature. */
const UNKNOWN_TOKEN = 'A'.repeat(43);

let sourceCount = 0;
/** A fresh IPv4 source from the documentation range, one per call. */
function newSource(): string {
  sourceCount++;
  return `198.51.${100 + Math.floor(sourceCount / 250)}.${1 + (sourceCount % 250)}`;
}

const email = () => `signer-${randomBytes(5).toString('hex')}@example.org`;

/** The contract's 429: its body, and a Retry-After in whole seconds that matches it. */
function expectRateLimited(res: Response, windowSeconds = WINDOW_SECONDS): void {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  if (res.type === 'application/json') {
    expect(res.body).toEqual({
      statusCode: 429,
      code: 'rate_limited',
      message: expect.stringMatching(/try again in \d+ s/),
      details: [{ retryAfterSeconds: retryAfter }],
    });
  }
}

async function refusals(t: TestApp, limit: string): Promise<number> {
  const { values } = await t.app.get(Metrics).rateLimitRefusals.get();
  return values.find((v) => v.labels.limit === limit)?.value ?? 0;
}

describe('rate limits', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let organiser: TestAccount;
  let moderator: TestAccount;

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({ env: { ...LIMITS, SMTP_URL: smtp.url } });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  const open = (overrides: Record<string, unknown> = {}) =>
    openPetition(t, organiser, moderator, overrides);

  const sign = (app: TestApp, ref: string, source: string, address = email()) =>
    app
      .http()
      .post(`/v1/petitions/${ref}/signatures`)
      .set('x-forwarded-for', source)
      .send({ fullName: 'Vera Testova', email: address });

  const signatures = async (petitionId: string): Promise<number> => {
    const { rows } = await t.db.query(
      'SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1',
      [petitionId],
    );
    return rows[0].n as number;
  };

  /** Posts the page's sign form as a browser at `source` would, with a fresh form token. */
  const signPage = async (slug: string, source: string, lang: 'en' | 'ru') => {
    const page = await t
      .http()
      .get(`/petitions/${slug}?lang=${lang}`)
      .set('x-forwarded-for', source)
      .expect(200);
    return t
      .http()
      .post(`/petitions/${slug}/sign`)
      .set('x-forwarded-for', source)
      .type(FORM)
      .send({
        formToken: hiddenField(page.text, 'formToken'),
        lang,
        fullName: 'Vera Testova',
        email: email(),
      });
  };

  it('refuses the N+1th signature from one source on one petition, by id or slug, until the window ends', async () => {
    const petition = await open();
    const other = await open();
    const source = newSource();
    const before = await refusals(t, 'sign');
    for (let i = 0; i < 3; i++) await sign(t, petition.id, source).expect(202);
    expectRateLimited(await sign(t, petition.id, source));
    // The slug is the same petition, so the same count.
    expectRateLimited(await sign(t, petition.slug, source));
    expect(await refusals(t, 'sign')).toBe(before + 2);
    // Nothing of a refused signature is written.
    expect(await signatures(petition.id)).toBe(3);
    // Another source on this petition, and this source on another petition, still sign.
    await sign(t, petition.id, newSource()).expect(202);
    await sign(t, other.slug, source).expect(202);
    await waitFor(
      'the window to end',
      async () => ((await sign(t, petition.slug, source)).status === 202 ? true : undefined),
      { timeoutMs: (WINDOW_SECONDS + 6) * 1000, intervalMs: 250 },
    );
    expect(await signatures(petition.id)).toBe(5);
  });

  it('refuses a source past RATE_LIMIT_SIGN_ALL across petitions; a refusal on one petition costs nothing on the others', async () => {
    const [a, b, c] = [await open(), await open(), await open()];
    const source = newSource();
    const before = await refusals(t, 'signAll');
    for (let i = 0; i < 3; i++) await sign(t, a.id, source).expect(202);
    expectRateLimited(await sign(t, a.id, source)); // RATE_LIMIT_SIGN on a
    await sign(t, b.id, source).expect(202);
    await sign(t, b.slug, source).expect(202); // five accepted: the all-petitions budget
    const refused = await sign(t, c.id, source);
    expectRateLimited(refused);
    expect(await refusals(t, 'signAll')).toBe(before + 1);
    expect(await signatures(c.id)).toBe(0);
    await sign(t, c.id, newSource()).expect(202);
    await waitFor(
      'the window to end',
      async () => ((await sign(t, c.id, source)).status === 202 ? true : undefined),
      { timeoutMs: (WINDOW_SECONDS + 6) * 1000, intervalMs: 250 },
    );
  });

  it('does not limit an organiser’s import, nor count it', async () => {
    const petition = await open();
    const source = newSource();
    for (let i = 0; i < 3; i++) await sign(t, petition.id, source).expect(202);
    const imported = await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures/import`)
      .set(organiser.auth)
      .set('x-forwarded-for', source)
      .send({
        signatures: Array.from({ length: 8 }, (_, i) => ({ fullName: `Imported Person ${i}` })),
      })
      .expect(202);
    expect(imported.body.accepted).toBe(8);
    expectRateLimited(await sign(t, petition.id, source));
    expect(await signatures(petition.id)).toBe(11);
  });

  it('counts an IPv6 source by its /64', async () => {
    const petition = await open();
    const net = `2001:db8:${randomBytes(2).toString('hex')}:1`;
    await sign(t, petition.id, `${net}::1`).expect(202);
    await sign(t, petition.id, `${net}::2`).expect(202);
    await sign(t, petition.id, `${net}:ffff:ffff:ffff:fffe`).expect(202);
    expectRateLimited(await sign(t, petition.id, `${net}:0:0:0:abcd`));
    // The next /64 is another source.
    await sign(t, petition.id, `${net.slice(0, -1)}2::1`).expect(202);
  });

  it('counts the page form with the API, and answers past the limit with a 429 page in the reader’s language', async () => {
    const petition = await open({ language: 'ru' });
    const source = newSource();
    await sign(t, petition.id, source).expect(202);
    expect((await signPage(petition.slug, source, 'en')).status).toBe(303);
    await sign(t, petition.slug, source).expect(202);
    const en = await signPage(petition.slug, source, 'en');
    expectRateLimited(en);
    expect(en.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(en.text).toContain('Too many tries');
    expect(en.text).toMatch(/Please wait \d seconds? and try again/);
    expect(en.text).toContain('lang="en"');
    const ru = await signPage(petition.slug, source, 'ru');
    expectRateLimited(ru);
    expect(ru.text).toContain('Слишком много попыток');
    expect(ru.text).toMatch(/Подождите \d секунд[уы]? и попробуйте снова/);
    expect(await signatures(petition.id)).toBe(3);
  });

  it('limits signer token calls per source, API and pages together, until the window ends', async () => {
    const source = newSource();
    const before = await refusals(t, 'signerToken');
    const api = (action: string) =>
      t
        .http()
        .post(`/v1/signatures/${action}`)
        .set('x-forwarded-for', source)
        .send({ token: UNKNOWN_TOKEN });
    expect((await api('confirm')).status).toBe(404);
    expect((await api('withdraw')).status).toBe(404);
    const page = (path: string) =>
      t.http().get(`${path}?token=${UNKNOWN_TOKEN}`).set('x-forwarded-for', source);
    expect((await page('/signatures/status')).status).toBe(404);
    // The fourth call, whichever it is, is refused: as JSON for the API, as a page for pages.
    expectRateLimited(await api('lookup'));
    const en = await page('/signatures/confirm').set('accept-language', 'en');
    expectRateLimited(en);
    expect(en.text).toContain('Too many tries');
    const ru = await t
      .http()
      .get(`/signatures/withdraw?token=${UNKNOWN_TOKEN}&lang=ru`)
      .set('x-forwarded-for', source);
    expectRateLimited(ru);
    expect(ru.text).toContain('Слишком много попыток');
    expect(await refusals(t, 'signerToken')).toBe(before + 3);
    // Another source is not held up.
    const other = await t
      .http()
      .post('/v1/signatures/lookup')
      .set('x-forwarded-for', newSource())
      .send({ token: UNKNOWN_TOKEN });
    expect(other.status).toBe(404);
    await waitFor(
      'the window to end',
      async () => ((await api('lookup')).status === 404 ? true : undefined),
      { timeoutMs: (WINDOW_SECONDS + 6) * 1000, intervalMs: 250 },
    );
  });

  it('drops mail past the address’s budget, of any kind, and keeps the signature', async () => {
    const account = await createAccount(t, AccountRole.Organiser, {
      email: `budget.${randomBytes(4).toString('hex')}@gmail.com`,
    });
    const [local, domain] = account.email.split('@');
    // Three spellings of one mailbox: one budget.
    const spellings = [
      account.email,
      `${local.replace('.', '')}+a@${domain}`,
      `${local}+b@GMAIL.com`,
    ];
    const petitions = [await open(), await open(), await open()];
    const before = await refusals(t, 'mailPerAddress');
    const mailbox = new Set(spellings.map((spelling) => spelling.toLowerCase()));
    const mails = () => smtp.mails.filter((m) => m.to.some((to) => mailbox.has(to.toLowerCase())));
    for (let i = 0; i < 2; i++) {
      await sign(t, petitions[i].id, newSource(), spellings[i]).expect(202);
    }
    await waitFor('two mails', async () => (mails().length === 2 ? true : undefined));
    await sign(t, petitions[2].id, newSource(), spellings[2]).expect(202);
    // The third is settled without a mail: nothing owed, the signature kept (unconfirmed).
    await waitFor('the third mail to be dropped', async () => {
      const { rows } = await t.db.query(
        `SELECT status, token_encrypted IS NULL AS settled, mail_sent_at FROM signatures
          WHERE petition_id = $1`,
        [petitions[2].id],
      );
      return rows.length === 1 && rows[0].settled ? rows[0] : undefined;
    }).then((row) => {
      expect(row.status).toBe('unconfirmed');
      expect(row.mail_sent_at).toBeNull();
    });
    // A sign-in link is mail too: asked for, answered as always, and not sent.
    expect(await requestSignIn(t, account.email)).toContain('sign-in link');
    await waitFor('the sign-in link to be settled', async () => {
      const { rows } = await t.db.query(
        `SELECT l.token_encrypted IS NULL AS settled, l.mail_sent_at FROM sign_in_links l
           JOIN accounts a ON a.id = l.account_id WHERE a.email = $1`,
        [account.email],
      );
      return rows[0]?.settled ? rows[0] : undefined;
    }).then((row) => expect(row.mail_sent_at).toBeNull());
    expect(mails()).toHaveLength(2);
    expect(await refusals(t, 'mailPerAddress')).toBe(before + 2);
    // Another address is not affected, and after the window this one gets mail again.
    const someoneElse = email();
    await sign(t, petitions[2].id, newSource(), someoneElse).expect(202);
    await waitFor('mail to another address', async () =>
      smtp.mailsTo(someoneElse).length === 1 ? true : undefined,
    );
    await waitFor(
      'a sign-in mail once the window has ended',
      async () => {
        if (mails().length > 2) return true;
        await requestSignIn(t, account.email);
        return undefined;
      },
      { timeoutMs: (WINDOW_SECONDS + 10) * 1000, intervalMs: 1_000 },
    );
  });

  it('documents the 429 and its Retry-After on the limited endpoints', async () => {
    const { paths } = (await t.http().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    for (const path of [
      '/v1/petitions/{idOrSlug}/signatures',
      '/v1/signatures/confirm',
      '/v1/signatures/withdraw',
      '/v1/signatures/lookup',
    ]) {
      expect(paths[path].post.responses['429']).toMatchObject({
        description: expect.stringContaining('rate_limited'),
        headers: { 'Retry-After': { schema: { type: 'integer' } } },
      });
    }
  });

  it('shares the counts between two instances on one Redis', async () => {
    const replica = await startTestApp({ replicaOf: t, env: { ...LIMITS, SMTP_URL: smtp.url } });
    try {
      const petition = await open();
      const source = newSource();
      await sign(t, petition.id, source).expect(202);
      await sign(replica, petition.slug, source).expect(202);
      await sign(t, petition.slug, source).expect(202);
      expectRateLimited(await sign(replica, petition.id, source));
      expectRateLimited(await sign(t, petition.id, source));
      // Signer token calls too.
      const lookup = (app: TestApp) =>
        app
          .http()
          .post('/v1/signatures/lookup')
          .set('x-forwarded-for', source)
          .send({ token: UNKNOWN_TOKEN });
      expect((await lookup(t)).status).toBe(404);
      expect((await lookup(replica)).status).toBe(404);
      expect((await lookup(t)).status).toBe(404);
      expectRateLimited(await lookup(replica));
    } finally {
      await replica.close();
    }
  });
});

describe('rate limits while Redis is down', () => {
  let t: TestApp;
  let proxy: TcpProxy;

  beforeAll(async () => {
    const redis = new URL(REDIS_URL);
    proxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
    const port = await proxy.start();
    t = await startTestApp({
      env: { ...LIMITS, RATE_LIMIT_SIGN: '3/60' },
      redisUrl: `redis://127.0.0.1:${port}`,
      captureLogs: true,
    });
  });
  afterAll(async () => {
    // Redis back first, should the test have failed while it was down: the app closes its queues.
    await proxy?.start(proxy.port);
    await t?.close();
    await proxy?.stop();
  });

  it('still takes signatures, limited in-process, and says so once in the log', async () => {
    const organiser = await createAccount(t, AccountRole.Organiser);
    const moderator = await createAccount(t, AccountRole.Moderator);
    const petition = await openPetition(t, organiser, moderator);
    const outage = (line: string) => line.includes('rate limits are counted in this process only');
    const sign = (source: string) =>
      t
        .http()
        .post(`/v1/petitions/${petition.slug}/signatures`)
        .set('x-forwarded-for', source)
        .send({ fullName: 'Vera Testova', email: email() });
    await sign('203.0.113.1').expect(202);
    expect(t.logs.filter(outage)).toHaveLength(0);

    await proxy.stop();
    for (let i = 0; i < 3; i++) await sign('203.0.113.2').expect(202);
    // The limit still holds, counted in this process.
    expectRateLimited(await sign('203.0.113.2'), 60);
    await sign('203.0.113.3').expect(202);
    const { rows } = await t.db.query(
      'SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1',
      [petition.id],
    );
    expect(rows[0].n).toBe(5);
    expect(t.logs.filter(outage)).toHaveLength(1);
    // The log names no IP.
    expect(t.logs.join('\n')).not.toMatch(/203\.0\.113\./);

    await proxy.start(proxy.port);
    await waitFor('Redis to be back for the limits', async () =>
      t.logs.some((line) => line.includes('rate limits are shared by all processes again'))
        ? true
        : undefined,
    );
    await sign('203.0.113.4').expect(202);
    expect(t.logs.filter(outage)).toHaveLength(1);
  });
});
