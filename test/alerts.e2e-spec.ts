import { randomBytes } from 'node:crypto';
import { AccountRole } from '../src/accounts/account-role.js';
import { AlertsService } from '../src/abuse/alerts.service.js';
import { Metrics } from '../src/common/metrics/metrics.js';
import {
  createAccount,
  openPetition,
  type PetitionBody,
  type TestAccount,
} from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

const THRESHOLD = 3;

interface Alert {
  id: string;
  petitionId: string;
  kind: 'source' | 'email_domain';
  value: string;
  count: number;
  windowStart: string;
  windowEnd: string;
  raisedAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
}

const env = {
  TRUST_PROXY: 'true',
  TRENDING_THRESHOLD: String(THRESHOLD),
  SOURCE_BURST_LIMIT: '100000',
  SIGN_MIN_RESPONSE_MS: '0',
  // Limits that arrive with the rate-limit work must not get in the way here.
  RATE_LIMIT_SIGN: '100000/600',
  RATE_LIMIT_SIGN_ALL: '100000/3600',
};

/** Letters only, so the names pass the checks. */
const tag = () => [...randomBytes(6)].map((byte) => String.fromCharCode(97 + (byte % 26))).join('');

function helpers(getApp: () => TestApp) {
  const sign = async (petition: PetitionBody, email: string, ip: string): Promise<void> => {
    await getApp()
      .http()
      .post(`/v1/petitions/${petition.id}/signatures`)
      .set('x-forwarded-for', ip)
      .send({ fullName: `Vera Trendova ${tag()}`, email })
      .expect(202);
  };
  const alertsOf = async (moderator: TestAccount, petition: PetitionBody, status = 'open') => {
    const res = await getApp()
      .http()
      .get(`/v1/moderation/alerts?status=${status}&petitionId=${petition.id}&limit=100`)
      .set(moderator.auth)
      .expect(200);
    return res.body.items as Alert[];
  };
  return { sign, alertsOf };
}

/** The trending job, run directly (its schedule is an hour here) and through the API. */
describe('trending alerts', () => {
  let t: TestApp;
  let organiser: TestAccount;
  let moderator: TestAccount;
  let other: TestAccount;
  const { sign, alertsOf } = helpers(() => t);
  const detect = () => t.app.get(AlertsService).detectTrending();

  beforeAll(async () => {
    t = await startTestApp({ env: { ...env, TRENDING_INTERVAL_SECONDS: '3600' } });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
    other = await createAccount(t, AccountRole.Moderator);
  });
  afterAll(async () => {
    await t.close();
  });

  const open = (): Promise<PetitionBody> =>
    openPetition(t, organiser, moderator, { requireEmailConfirmation: false });

  const raisedCount = async (kind: string): Promise<number> => {
    const metric = await t.app.get(Metrics).alertsRaised.get();
    return metric.values.find((v) => v.labels.kind === kind)?.value ?? 0;
  };

  it('raises one alert at the threshold and none below it, for sources and email domains', async () => {
    const petition = await open();
    const busyIp = '198.51.100.10';
    const quietIp = '198.51.100.11';
    // THRESHOLD from one source, each with a domain of its own.
    for (let i = 0; i < THRESHOLD; i++) await sign(petition, `s${i}@own-${tag()}.example`, busyIp);
    // One fewer from another source.
    for (let i = 0; i < THRESHOLD - 1; i++)
      await sign(petition, `q${i}@own-${tag()}.example`, quietIp);
    // THRESHOLD with one domain, each from a source of its own.
    const domain = `trend-${tag()}.example`;
    for (let i = 0; i < THRESHOLD; i++)
      await sign(petition, `d${i}@${domain}`, `203.0.113.${i + 1}`);
    // One fewer with another domain.
    const quietDomain = `calm-${tag()}.example`;
    for (let i = 0; i < THRESHOLD - 1; i++)
      await sign(petition, `c${i}@${quietDomain}`, `203.0.113.${i + 100}`);

    const [sourcesBefore, domainsBefore] = [
      await raisedCount('source'),
      await raisedCount('email_domain'),
    ];
    await detect();
    const alerts = await alertsOf(moderator, petition);
    expect(alerts.map((a) => [a.kind, a.count]).sort()).toEqual([
      ['email_domain', THRESHOLD],
      ['source', THRESHOLD],
    ]);
    expect(await raisedCount('source')).toBe(sourcesBefore + 1);
    expect(await raisedCount('email_domain')).toBe(domainsBefore + 1);

    const byDomain = alerts.find((a) => a.kind === 'email_domain')!;
    expect(byDomain).toMatchObject({
      petitionId: petition.id,
      value: domain,
      acknowledgedBy: null,
    });
    expect(Date.parse(byDomain.windowEnd) - Date.parse(byDomain.windowStart)).toBe(3_600_000);
    expect(Date.parse(byDomain.raisedAt)).toBeGreaterThanOrEqual(
      Date.parse(byDomain.windowEnd) - 1_000,
    );

    // The source is named by one of its signatures, never by its address.
    const bySource = alerts.find((a) => a.kind === 'source')!;
    const { rows } = await t.db.query<{ id: string }>(
      `SELECT id FROM signatures WHERE petition_id = $1 AND email_domain LIKE 'own-%' AND full_name <> ''
         AND source_index = (SELECT source_index FROM signatures WHERE id = $2)`,
      [petition.id, bySource.value],
    );
    expect(rows).toHaveLength(THRESHOLD);
    const one = await t
      .http()
      .get(`/v1/moderation/alerts/${bySource.id}`)
      .set(moderator.auth)
      .expect(200);
    expect(one.body).toEqual(bySource);
    expect(one.text).not.toContain(busyIp);
    expect(JSON.stringify(alerts)).not.toMatch(/198\.51\.100|203\.0\.113/);
  });

  it('raises nothing new while the hour it covered lasts, however many runs at once', async () => {
    const petition = await open();
    const ip = '198.51.100.30';
    for (let i = 0; i < THRESHOLD; i++) await sign(petition, `r${i}@own-${tag()}.example`, ip);
    const results = await Promise.all(Array.from({ length: 6 }, () => detect()));
    expect(results.reduce((sum, r) => sum + r.raised, 0)).toBe(1);
    const [alert] = await alertsOf(moderator, petition);
    expect(alert).toMatchObject({ kind: 'source', count: THRESHOLD });

    // More from the same source within the hour: still the one alert.
    await sign(petition, `more@own-${tag()}.example`, ip);
    await detect();
    expect(await alertsOf(moderator, petition)).toEqual([alert]);
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS n FROM trending_alerts WHERE petition_id = $1`,
      [petition.id],
    );
    expect(rows[0].n).toBe(1);

    // Once that hour is over (moved back two hours here), the source can raise a new one.
    await t.db.query(
      `UPDATE signatures SET created_at = created_at - interval '2 hours' WHERE petition_id = $1`,
      [petition.id],
    );
    await t.db.query(
      `UPDATE trending_alerts SET window_start = window_start - interval '2 hours',
              window_end = window_end - interval '2 hours', raised_at = raised_at - interval '2 hours'
        WHERE petition_id = $1`,
      [petition.id],
    );
    await detect();
    expect(await alertsOf(moderator, petition)).toHaveLength(1);
    for (let i = 0; i < THRESHOLD; i++) await sign(petition, `n${i}@own-${tag()}.example`, ip);
    await detect();
    const later = await alertsOf(moderator, petition);
    expect(later).toHaveLength(2);
    expect(later[0].id).not.toBe(alert.id);
    expect(later[0]).toMatchObject({ kind: 'source', count: THRESHOLD });
  });

  it('watches open petitions only', async () => {
    const petition = await open();
    const ip = '198.51.100.40';
    for (let i = 0; i < THRESHOLD - 1; i++) await sign(petition, `w${i}@own-${tag()}.example`, ip);
    await t
      .http()
      .post(`/v1/petitions/${petition.id}/close`)
      .set(organiser.auth)
      .send({})
      .expect(200);
    // One more from the same source (written directly: a closed petition takes no signatures).
    await t.db.query(
      `INSERT INTO signatures (petition_id, status, origin, full_name, name_key, email_domain, source_index)
       SELECT petition_id, status, origin, full_name, name_key, email_domain, source_index
         FROM signatures WHERE petition_id = $1 LIMIT 1`,
      [petition.id],
    );
    await detect();
    expect(await alertsOf(moderator, petition)).toEqual([]);
  });

  it('lets a moderator acknowledge an alert, once, and lists it as acknowledged', async () => {
    const petition = await open();
    const domain = `ack-${tag()}.example`;
    for (let i = 0; i < THRESHOLD; i++)
      await sign(petition, `a${i}@${domain}`, `203.0.113.${i + 50}`);
    await detect();
    const [alert] = await alertsOf(moderator, petition);
    expect(alert.value).toBe(domain);

    const acknowledged = await t
      .http()
      .post(`/v1/moderation/alerts/${alert.id}/acknowledge`)
      .set(other.auth)
      .expect(200);
    expect(acknowledged.body).toMatchObject({ id: alert.id, acknowledgedBy: other.id });
    expect(Date.parse(acknowledged.body.acknowledgedAt)).toBeGreaterThanOrEqual(
      Date.parse(alert.raisedAt),
    );

    // Twice is fine: the answer still names the first moderator.
    const again = await t
      .http()
      .post(`/v1/moderation/alerts/${alert.id}/acknowledge`)
      .set(moderator.auth)
      .expect(200);
    expect(again.body).toEqual(acknowledged.body);

    expect(await alertsOf(moderator, petition, 'open')).toEqual([]);
    expect(await alertsOf(moderator, petition, 'acknowledged')).toEqual([acknowledged.body]);
  });

  it('pages through alerts, newest first', async () => {
    const petition = await open();
    for (const ip of ['198.51.100.60', '198.51.100.61', '198.51.100.62']) {
      for (let i = 0; i < THRESHOLD; i++) await sign(petition, `p${i}@own-${tag()}.example`, ip);
      await detect();
    }
    const all = await alertsOf(moderator, petition);
    expect(all).toHaveLength(3);
    const first = await t
      .http()
      .get(`/v1/moderation/alerts?petitionId=${petition.id}&limit=2`)
      .set(moderator.auth)
      .expect(200);
    expect(first.body.items).toEqual(all.slice(0, 2));
    const second = await t
      .http()
      .get(
        `/v1/moderation/alerts?petitionId=${petition.id}&limit=2&cursor=${first.body.nextCursor}`,
      )
      .set(moderator.auth)
      .expect(200);
    expect(second.body).toEqual({ items: all.slice(2), nextCursor: null });
    const raised = all.map((a) => Date.parse(a.raisedAt));
    expect([...raised].sort((a, b) => b - a)).toEqual(raised);
  });

  it('is for moderators only, and refuses bad input clearly', async () => {
    await t.http().get('/v1/moderation/alerts').expect(401);
    await t.http().get('/v1/moderation/alerts').set(organiser.auth).expect(403);
    await t
      .http()
      .post('/v1/moderation/alerts/00000000-0000-4000-8000-000000000000/acknowledge')
      .set(organiser.auth)
      .expect(403);
    const unknown = await t
      .http()
      .post('/v1/moderation/alerts/00000000-0000-4000-8000-000000000000/acknowledge')
      .set(moderator.auth)
      .expect(404);
    expect(unknown.body).toMatchObject({ code: 'not_found', message: 'Alert not found' });
    await t.http().post('/v1/moderation/alerts/nope/acknowledge').set(moderator.auth).expect(404);
    const bad = await t
      .http()
      .get('/v1/moderation/alerts?status=closed')
      .set(moderator.auth)
      .expect(400);
    expect(bad.body.details).toEqual([
      { field: 'status', message: 'status must be one of open, acknowledged' },
    ]);
    await t.http().get('/v1/moderation/alerts?cursor=zzz').set(moderator.auth).expect(400);
  });
});

/** The job on its schedule, as production runs it. */
describe('trending alerts on their schedule', () => {
  let t: TestApp;
  const { sign, alertsOf } = helpers(() => t);

  beforeAll(async () => {
    t = await startTestApp({ env: { ...env, TRENDING_INTERVAL_SECONDS: '1' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('are raised by the repeating job, every TRENDING_INTERVAL_SECONDS', async () => {
    const organiser = await createAccount(t, AccountRole.Organiser);
    const moderator = await createAccount(t, AccountRole.Moderator);
    const petition = await openPetition(t, organiser, moderator, {
      requireEmailConfirmation: false,
    });
    for (let i = 0; i < THRESHOLD; i++)
      await sign(petition, `j${i}@own-${tag()}.example`, '198.51.100.90');
    const [alert] = await waitFor('the job to raise an alert', async () => {
      const alerts = await alertsOf(moderator, petition);
      return alerts.length > 0 ? alerts : undefined;
    });
    expect(alert).toMatchObject({ kind: 'source', count: THRESHOLD, petitionId: petition.id });
  });
});
