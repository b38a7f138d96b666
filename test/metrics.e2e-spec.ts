import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AccountRole } from '../src/accounts/account-role.js';
import { WorkerMetricsServer } from '../src/bootstrap/worker-metrics-server.js';
import { DataSource } from 'typeorm';
import { CountsService } from '../src/counts/counts.service.js';
import { SignatureActor, SignatureStatus } from '../src/signatures/signature-status.js';
import { SignatureTransitionsService } from '../src/signatures/signature-transitions.service.js';
import { WorkerModule } from '../src/worker.module.js';
import { adminAuth, createAccount, openPetition, type PetitionBody } from './support/factories.js';
import { parseMetrics, type Sample, valueOf } from './support/prometheus.js';
import { ADMIN_TOKEN, startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const REQUESTS = 'countersign_http_request_duration_seconds';
const COUNTS_ROUTE = '/v1/petitions/:idOrSlug/counts';
const SIGN_ROUTE = '/v1/petitions/:idOrSlug/signatures';
/** Every request of these specs comes from 127.0.0.1: keep the burst check out of the way. */
const ENV = { SOURCE_BURST_LIMIT: '100000' };

async function scrape(t: TestApp, headers: Record<string, string> = {}): Promise<Sample[]> {
  const res = await t.http().get('/metrics').set(headers).expect(200);
  expect(res.headers['content-type']).toBe(PROMETHEUS_TEXT);
  return parseMetrics(res.text);
}

async function newPetition(t: TestApp, overrides: Record<string, unknown> = {}) {
  const organiser = await createAccount(t, AccountRole.Organiser);
  const moderator = await createAccount(t, AccountRole.Moderator);
  return { organiser, petition: await openPetition(t, organiser, moderator, overrides) };
}

async function sign(t: TestApp, petition: PetitionBody, email: string, fullName: string) {
  await t
    .http()
    .post(`/v1/petitions/${petition.id}/signatures`)
    .set('X-Forwarded-For', '198.51.100.23')
    .set('User-Agent', `agent of ${email}`)
    .send({ fullName, email, comment: `a comment from ${email}` })
    .expect(202);
}

async function statusCounts(t: TestApp, petitionId: string): Promise<Record<string, number>> {
  const { rows } = await t.db.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM signatures WHERE petition_id = $1 GROUP BY status`,
    [petitionId],
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

describe('GET /metrics after some traffic', () => {
  let t: TestApp;
  let petition: PetitionBody;
  let organiserToken: string;
  const emails = [
    'metrics-anna@example.org',
    'metrics-boris@example.org',
    'metrics-vera@example.org',
  ];
  const names = ['Anna Metrikova', 'Boris Schetov', 'Vera Izmerova'];

  beforeAll(async () => {
    t = await startTestApp({ env: ENV });
    const made = await newPetition(t, { requireEmailConfirmation: false });
    petition = made.petition;
    organiserToken = made.organiser.token;
    for (let i = 0; i < emails.length; i++) await sign(t, petition, emails[i], names[i]);
    for (let i = 0; i < 5; i++)
      await t.http().get(`/v1/petitions/${petition.id}/counts`).expect(200);
    for (let i = 0; i < 2; i++) {
      await t.http().get(`/v1/petitions/${petition.slug}/counts`).expect(200);
    }
    // Unmatched URLs that carry what must never become a label.
    await t.http().get(`/nothing/here/${emails[0]}?token=${organiserToken}`).expect(404);
    await t.http().get(`/v1/nothing/${petition.id}`).set(adminAuth).expect(404);
    await waitFor('the signatures to be verified', async () =>
      (await statusCounts(t, petition.id)).verified === emails.length ? true : undefined,
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts requests by method, route pattern and status, with their latency', async () => {
    const samples = await scrape(t);
    const counts = { method: 'GET', route: COUNTS_ROUTE, status: '200' };
    // By id and by slug alike: one route pattern, never the URL.
    expect(valueOf(samples, `${REQUESTS}_count`, counts)).toBe(7);
    expect(valueOf(samples, `${REQUESTS}_bucket`, { ...counts, le: '+Inf' })).toBe(7);
    expect(valueOf(samples, `${REQUESTS}_sum`, counts)).toBeGreaterThan(0);
    const buckets = samples.filter(
      (s) => s.name === `${REQUESTS}_bucket` && s.labels.route === COUNTS_ROUTE,
    );
    const values = buckets.map((s) => s.value);
    expect(values).toEqual([...values].sort((a, b) => a - b)); // cumulative
    expect(
      valueOf(samples, `${REQUESTS}_count`, { method: 'POST', route: SIGN_ROUTE, status: '202' }),
    ).toBe(3);
    expect(
      valueOf(samples, `${REQUESTS}_count`, { method: 'GET', route: 'unmatched', status: '404' }),
    ).toBe(2);
  });

  it('counts signature status changes, new signatures from none', async () => {
    const samples = await scrape(t);
    const transitions = 'countersign_signature_transitions_total';
    expect(valueOf(samples, transitions, { from: 'none', to: 'pending' })).toBe(3);
    expect(valueOf(samples, transitions, { from: 'pending', to: 'verified' })).toBe(3);
  });

  it('shows the queues, job outcomes and every contract metric, with Node defaults', async () => {
    const samples = await scrape(t);
    for (const queue of ['maintenance', 'mail', 'verification']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) {
        expect(valueOf(samples, 'countersign_queue_jobs', { queue, state })).toBeGreaterThanOrEqual(
          0,
        );
      }
      expect(
        valueOf(samples, 'countersign_queue_oldest_waiting_seconds', { queue }),
      ).toBeGreaterThanOrEqual(0);
    }
    expect(
      valueOf(samples, 'countersign_queue_job_outcomes_total', {
        queue: 'verification',
        outcome: 'completed',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(samples, 'countersign_queue_job_wait_seconds_count', { queue: 'verification' }),
    ).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'countersign_signatures_given_up', { work: 'verification' })).toBe(0);
    expect(valueOf(samples, 'countersign_signatures_given_up', { work: 'mail' })).toBe(0);
    const text = (await t.http().get('/metrics').expect(200)).text;
    for (const name of [
      'countersign_rate_limit_refusals_total',
      'countersign_alerts_raised_total',
      'countersign_count_drift_corrected_total',
      'countersign_sign_unavailable_total',
      'countersign_sweeper_revived_jobs_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} counter`);
    }
    expect(valueOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(valueOf(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(valueOf(samples, 'countersign_event_loop_delay_max_seconds')).toBeGreaterThanOrEqual(0);
    // Left out: they cost every request (see metrics.ts).
    expect(text).not.toContain('nodejs_gc_duration_seconds');
    expect(text).not.toContain('nodejs_eventloop_lag');
  });

  it('counts a transition made in a transaction only once it commits', async () => {
    const { rows } = await t.db.query<{ id: string }>(
      `SELECT id FROM signatures WHERE petition_id = $1 ORDER BY id LIMIT 1`,
      [petition.id],
    );
    const transitions = t.app.get(SignatureTransitionsService);
    const move = {
      from: SignatureStatus.Verified,
      to: SignatureStatus.NeedsReview,
      actor: SignatureActor.System,
      reasonCode: 'register_changed',
      items: [{ id: rows[0].id }],
    };
    const reviewed = async () =>
      valueOf(await scrape(t), 'countersign_signature_transitions_total', {
        from: 'verified',
        to: 'needs_review',
      });
    const dataSource = t.app.get(DataSource);
    await expect(
      dataSource.transaction(async (m) => {
        expect(await transitions.move(move, m)).toHaveLength(1);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await reviewed()).toBeUndefined();
    await dataSource.transaction(async (m) => {
      expect(await transitions.move(move, m)).toHaveLength(1);
      expect(await reviewed()).toBeUndefined(); // not before the commit
    });
    expect(await reviewed()).toBe(1);
  });

  it('counts the drift the reconciliation corrects, by column', async () => {
    await t.db.query(
      `INSERT INTO petition_count_shards (petition_id, shard) VALUES ($1, 0) ON CONFLICT DO NOTHING`,
      [petition.id],
    );
    await t.db.query(
      `UPDATE petition_count_shards SET verified = verified + 5, rejected = rejected - 2
        WHERE petition_id = $1 AND shard = 0`,
      [petition.id],
    );
    expect(await t.app.get(CountsService).reconcile(petition.id)).not.toBeNull();
    const samples = await scrape(t);
    expect(
      valueOf(samples, 'countersign_count_drift_corrected_total', { column: 'verified' }),
    ).toBe(5);
    expect(
      valueOf(samples, 'countersign_count_drift_corrected_total', { column: 'rejected' }),
    ).toBe(2);
  });

  it('never puts an email, an IP, a token, an id or petition text in a label', async () => {
    const res = await t.http().get('/metrics').expect(200);
    const labelValues = parseMetrics(res.text).flatMap((s) => Object.values(s.labels));
    expect(labelValues.length).toBeGreaterThan(100);
    for (const value of new Set(labelValues)) {
      expect(value).not.toMatch(/@/);
      expect(value).not.toMatch(/\b\d{1,3}(\.\d{1,3}){3}\b/); // IPv4
      expect(value).not.toMatch(/^[0-9a-f]*(:[0-9a-f]*){2,}$/i); // IPv6
      expect(value).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
      expect(value).not.toMatch(/\?/); // no query string
    }
    for (const secret of [
      ...emails,
      ...names,
      '198.51.100.23',
      organiserToken,
      ADMIN_TOKEN,
      petition.id,
      petition.slug,
      String(petition.title),
    ]) {
      expect(res.text).not.toContain(secret);
    }
  });
});

describe('GET /metrics guard', () => {
  describe('without METRICS_TOKEN', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: ENV });
    });
    afterAll(async () => {
      await t.close();
    });

    it('answers a caller on this machine', async () => {
      const res = await t.http().get('/metrics').expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toContain('# TYPE countersign_http_request_duration_seconds histogram');
    });

    it('refuses one that came through a proxy, whatever address the proxy says it had', async () => {
      for (const [header, value] of [
        ['X-Forwarded-For', '127.0.0.1'],
        ['Forwarded', 'for=127.0.0.1'],
        ['X-Real-IP', '127.0.0.1'],
      ]) {
        const res = await t.http().get('/metrics').set(header, value).expect(403);
        expect(res.body).toEqual({
          statusCode: 403,
          code: 'forbidden',
          message: expect.stringContaining('METRICS_TOKEN'),
          details: [],
        });
      }
    });

    it('takes no account token instead: an admin without METRICS_TOKEN is still refused off the machine', async () => {
      await t
        .http()
        .get('/metrics')
        .set(adminAuth)
        .set('X-Forwarded-For', '203.0.113.5')
        .expect(403);
    });
  });

  describe('with METRICS_TOKEN', () => {
    const token = 'metrics-token-for-the-e2e-spec-0123';
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: { ...ENV, METRICS_TOKEN: token } });
    });
    afterAll(async () => {
      await t.close();
    });

    it('refuses a caller without it or with another token, even on this machine', async () => {
      for (const auth of [undefined, `Bearer ${token}x`, `Bearer ${ADMIN_TOKEN}`, token]) {
        const req = t.http().get('/metrics');
        const res = await (auth ? req.set('Authorization', auth) : req).expect(401);
        expect(res.headers['www-authenticate']).toBe('Bearer');
        expect(res.body).toEqual({
          statusCode: 401,
          code: 'unauthorized',
          message: expect.stringContaining('METRICS_TOKEN'),
          details: [],
        });
      }
    });

    it('answers the right token, from anywhere', async () => {
      await scrape(t, { Authorization: `Bearer ${token}` });
      await scrape(t, { Authorization: `Bearer ${token}`, 'X-Forwarded-For': '203.0.113.5' });
    });
  });
});

describe('metrics of a separate worker process (WORKER_METRICS_PORT)', () => {
  let t: TestApp;
  let workers: INestApplicationContext;

  beforeAll(async () => {
    t = await startTestApp({ env: { ...ENV, WORKERS: 'off', WORKER_METRICS_PORT: '0' } });
    workers = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), {
      logger: false,
      abortOnError: false,
    });
    await workers.init();
  });
  afterAll(async () => {
    await workers.close();
    await t.close();
  });

  it('counts its own jobs and transitions, while the API reads the shared queue depths', async () => {
    const { petition } = await newPetition(t, { requireEmailConfirmation: false });
    await sign(t, petition, 'worker-metrics@example.org', 'Gleb Rabochev');
    await waitFor('the signature to be verified', async () =>
      (await statusCounts(t, petition.id)).verified === 1 ? true : undefined,
    );
    const port = workers.get(WorkerMetricsServer).port;
    expect(port).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(PROMETHEUS_TEXT);
    const worker = parseMetrics(await res.text());
    expect(
      valueOf(worker, 'countersign_signature_transitions_total', {
        from: 'pending',
        to: 'verified',
      }),
    ).toBe(1);
    expect(
      valueOf(worker, 'countersign_queue_job_outcomes_total', {
        queue: 'verification',
        outcome: 'completed',
      }),
    ).toBeGreaterThanOrEqual(1);

    const api = await scrape(t);
    // The API wrote the signature; the worker decided it. Each counts what it did.
    expect(
      valueOf(api, 'countersign_signature_transitions_total', { from: 'none', to: 'pending' }),
    ).toBe(1);
    expect(
      valueOf(api, 'countersign_signature_transitions_total', { from: 'pending', to: 'verified' }),
    ).toBeUndefined();
    expect(
      valueOf(api, 'countersign_queue_jobs', { queue: 'verification', state: 'waiting' }),
    ).toBe(0);

    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    const proxied = await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: { 'X-Forwarded-For': '203.0.113.5' },
    });
    expect(proxied.status).toBe(403);
    expect(await proxied.json()).toMatchObject({ statusCode: 403, code: 'forbidden' });
  });
});
