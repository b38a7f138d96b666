import { AccountRole } from '../src/accounts/account-role.js';
import { createAccount, openPetition, type PetitionBody } from './support/factories.js';
import { parseMetrics, valueOf } from './support/prometheus.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { databaseUrl } from './support/test-env.js';
import { waitFor } from './support/wait.js';

/**
 * The sign batcher under a database that hangs or is down, reached through a proxy this spec can
 * pause or cut, so the outage is real to the app while the shared server stays up.
 */

interface Answer {
  status: number;
  ms: number;
  retryAfter?: string;
  body: { statusCode?: number; code?: string; message?: string; details?: unknown[] };
}

const ENV = { SOURCE_BURST_LIMIT: '100000', SIGN_MIN_RESPONSE_MS: '0' };

function startApp(proxy: TcpProxy, env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp({
    env: { ...ENV, ...env },
    databaseUrl: (name) =>
      databaseUrl(name, `postgres://postgres@127.0.0.1:${proxy.port}/postgres`),
  });
}

async function newPetition(t: TestApp): Promise<PetitionBody> {
  const organiser = await createAccount(t, AccountRole.Organiser);
  const moderator = await createAccount(t, AccountRole.Moderator);
  return openPetition(t, organiser, moderator, { requireEmailConfirmation: false });
}

/**
 * `n` signs sent at once, each timed from when it was sent to its answer; `onAnswer` sees each
 * answer as it comes.
 */
function signAtOnce(
  t: TestApp,
  petition: PetitionBody,
  tag: string,
  n: number,
  onAnswer: (answer: Answer) => void = () => undefined,
): Promise<Answer[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const started = Date.now();
      const res = await t
        .http()
        .post(`/v1/petitions/${petition.id}/signatures`)
        .send({
          fullName: `Signer ${tag} ${String.fromCharCode(65 + (i % 26))}`,
          email: `${tag}-${i}@example.org`,
        });
      const answer: Answer = {
        status: res.status,
        ms: Date.now() - started,
        retryAfter: res.headers['retry-after'] as string | undefined,
        body: res.body as Answer['body'],
      };
      onAnswer(answer);
      return answer;
    }),
  );
}

async function signatureCount(t: TestApp, petitionId: string): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1`,
    [petitionId],
  );
  return rows[0].n;
}

async function refusals(t: TestApp, reason: string): Promise<number | undefined> {
  const res = await t.http().get('/metrics').expect(200);
  return valueOf(parseMetrics(res.text), 'countersign_sign_unavailable_total', { reason });
}

function expectUnavailable(answer: Answer): void {
  expect(answer).toMatchObject({
    status: 503,
    retryAfter: '2',
    body: {
      statusCode: 503,
      code: 'service_unavailable',
      message: expect.stringContaining('try again'),
      details: [{ retryAfterSeconds: 2 }],
    },
  });
}

describe('sign batcher: a bounded queue', () => {
  const pgProxy = new TcpProxy('127.0.0.1', 5432);
  let t: TestApp;

  beforeAll(async () => {
    await pgProxy.start();
    t = await startApp(pgProxy, { SIGN_QUEUE_LIMIT: '3' });
  });
  afterAll(async () => {
    pgProxy.resume();
    await t.close();
    await pgProxy.stop();
  });

  it('answers 503 with Retry-After at once when too many signs wait, and takes the others once the database answers', async () => {
    const petition = await newPetition(t);
    // Warm the pool, so that the batches below are held on open connections, not on connecting.
    await signAtOnce(t, petition, 'warm', 8);
    const before = await signatureCount(t, petition.id);
    const refusedBefore = (await refusals(t, 'queue_full')) ?? 0;

    pgProxy.hang();
    const n = 40;
    const early: Answer[] = [];
    const answers = signAtOnce(t, petition, 'bounded', n, (answer) => early.push(answer));
    // At most 4 batches run (each stuck on the hung database) and 3 signs wait; the rest are told
    // to come back straight away, while the database still hangs.
    await waitFor('the signs past the bound to be refused', async () =>
      early.length > 0 ? true : undefined,
    );
    expect(early.every((answer) => answer.status === 503)).toBe(true);
    pgProxy.resume();

    const all = await answers;
    const unavailable = all.filter((a) => a.status === 503);
    const accepted = all.filter((a) => a.status === 202);
    expect(unavailable.length + accepted.length).toBe(n);
    expect(accepted.length).toBeGreaterThanOrEqual(4); // the running batches' and the waiting
    expect(unavailable.length).toBeGreaterThanOrEqual(n - accepted.length);
    expect(await refusals(t, 'queue_full')).toBe(refusedBefore + unavailable.length);
    for (const answer of unavailable) {
      expectUnavailable(answer);
      expect(answer.ms).toBeLessThan(1_000); // refused at once, not after the database came back
    }
    // Exactly the accepted ones were written.
    expect(await signatureCount(t, petition.id)).toBe(before + accepted.length);
  });
});

describe('sign batcher: the database down', () => {
  const pgProxy = new TcpProxy('127.0.0.1', 5432);
  let t: TestApp;
  let petition: PetitionBody;

  beforeAll(async () => {
    await pgProxy.start();
    t = await startApp(pgProxy);
    petition = await newPetition(t);
  });
  afterAll(async () => {
    pgProxy.resume();
    await pgProxy.start(pgProxy.port).catch(() => undefined);
    await t.close();
    await pgProxy.stop();
  });

  it('refusing connections: a batch of signs gets 503 with Retry-After within 2 s, and signing recovers', async () => {
    await signAtOnce(t, petition, 'before-outage', 4);
    await pgProxy.stop();
    const answers = await signAtOnce(t, petition, 'refused', 20);
    for (const answer of answers) {
      expectUnavailable(answer);
      expect(answer.ms).toBeLessThan(2_000);
    }
    expect(await refusals(t, 'database_unavailable')).toBeGreaterThan(0);

    await pgProxy.start(pgProxy.port);
    await waitFor('signing to work again', async () => {
      const [answer] = await signAtOnce(t, petition, `after-outage-${Date.now()}`, 1);
      return answer.status === 202 ? true : undefined;
    });
  });

  it('hanging: a batch fails at its connection timeout, not one timeout per signer', async () => {
    pgProxy.hang({ cut: true }); // open connections cut, new ones never answered
    const n = 20;
    const started = Date.now();
    const answers = await signAtOnce(t, petition, 'hung', n);
    const took = Date.now() - started;
    for (const answer of answers) expectUnavailable(answer);
    // A connection attempt gives up after 3 s (connectionTimeoutMillis); at most 4 batches run,
    // so the last signs wait for one more round. Retried one by one, the last of 20 would
    // have waited 20 of those.
    expect(took).toBeLessThan(8_000);

    pgProxy.resume();
    await waitFor('signing to work again', async () => {
      const [answer] = await signAtOnce(t, petition, `after-hang-${Date.now()}`, 1);
      return answer.status === 202 ? true : undefined;
    });
  });
});
