import { AccountRole } from '../src/accounts/account-role.js';
import { countsMatchRows } from './support/counts.js';
import {
  createAccount,
  openPetition,
  type PetitionBody,
  type TestAccount,
} from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

interface Invalidation {
  id: string;
  status: string;
  matched: number;
  processed: number;
  requestedBy: string;
  approvedBy: string | null;
}

const THRESHOLD = 10;

/**
 * The second moderator cannot be avoided: INVALIDATION_APPROVAL_THRESHOLD counts what one
 * moderator's invalidations of one petition change over a rolling 24 hours, two requests at once
 * included; and a running invalidation never changes more than the `matched` it showed.
 * `sameSourceAs` must name a signature of the same petition.
 */
describe('invalidations: the second moderator and the matched ceiling', () => {
  let t: TestApp;
  let organiser: TestAccount;
  let first: TestAccount;
  let second: TestAccount;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        SOURCE_BURST_LIMIT: '100000',
        SIGN_MIN_RESPONSE_MS: '0',
        INVALIDATION_APPROVAL_THRESHOLD: String(THRESHOLD),
      },
    });
    organiser = await createAccount(t, AccountRole.Organiser);
    first = await createAccount(t, AccountRole.Moderator);
    second = await createAccount(t, AccountRole.Moderator);
  });
  afterAll(async () => {
    await t.close();
  });

  const newPetition = () => openPetition(t, organiser, first, { requireEmailConfirmation: false });

  const sign = (petitionId: string, fullName: string, email: string, district = 'Quay') =>
    t
      .http()
      .post(`/v1/petitions/${petitionId}/signatures`)
      .send({ fullName, email, district })
      .expect(202);

  /** `n` verified public signatures in `district`, from addresses at `domain`. */
  const signMany = async (petition: PetitionBody, n: number, district: string, domain: string) => {
    const base = await total(petition.id);
    for (let i = 0; i < n; i++) {
      await sign(petition.id, `${district} Signer ${letters(i)}`, `s${i}@${domain}`, district);
    }
    await settle(petition.id, base + n);
  };

  const total = async (petitionId: string) =>
    (
      await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1`,
        [petitionId],
      )
    ).rows[0].n;

  const settle = (petitionId: string, n: number) =>
    waitFor(`${n} signatures decided`, async () => {
      const { rows } = await t.db.query<{ total: number; pending: number }>(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'pending')::int AS pending
           FROM signatures WHERE petition_id = $1`,
        [petitionId],
      );
      return rows[0].total === n && rows[0].pending === 0 ? true : undefined;
    });

  const create = (by: TestAccount, body: Record<string, unknown>) =>
    t
      .http()
      .post('/v1/moderation/invalidations')
      .set(by.auth)
      .send({ reasonCode: 'fraudulent', ...body });

  const request = async (by: TestAccount, body: Record<string, unknown>) => {
    const res = await create(by, body);
    expect(res.status).toBe(201);
    return res.body as Invalidation;
  };

  const get = async (id: string) =>
    (await t.http().get(`/v1/moderation/invalidations/${id}`).set(first.auth).expect(200))
      .body as Invalidation;

  const finished = (id: string) =>
    waitFor(`invalidation ${id} to finish`, async () => {
      const body = await get(id);
      return body.status === 'completed' || body.status === 'cancelled' ? body : undefined;
    });

  const approve = (id: string, by: TestAccount) =>
    t.http().post(`/v1/moderation/invalidations/${id}/approve`).set(by.auth);

  const statusOf = async (petitionId: string, fullName: string) =>
    (
      await t.db.query<{ status: string }>(
        `SELECT status FROM signatures WHERE petition_id = $1 AND full_name = $2`,
        [petitionId, fullName],
      )
    ).rows[0]?.status;

  it('sends the second of two small invalidations that together pass the threshold to a second moderator', async () => {
    const petition = await newPetition();
    await signMany(petition, 6, 'North', 'north-example.test');
    await signMany(petition, 6, 'South', 'south-example.test');

    // A dry run and a cancelled request change nothing, so they do not count.
    const preview = await request(first, {
      petitionId: petition.id,
      criteria: { district: 'North' },
      dryRun: true,
    });
    expect(preview).toMatchObject({ status: 'preview', matched: 6 });
    const cancelled = await request(first, {
      petitionId: petition.id,
      criteria: { fullNamePattern: '* Signer *' },
    });
    expect(cancelled).toMatchObject({ status: 'awaiting_approval', matched: 12 });
    await t
      .http()
      .post(`/v1/moderation/invalidations/${cancelled.id}/cancel`)
      .set(first.auth)
      .expect(200);

    const north = await request(first, {
      petitionId: petition.id,
      criteria: { district: 'North' },
    });
    expect(north).toMatchObject({ status: 'running', matched: 6 });
    expect(await finished(north.id)).toMatchObject({ status: 'completed', processed: 6 });

    // 6 done + 6 asked = 12 > 10: the split does not avoid the second moderator.
    const south = await request(first, {
      petitionId: petition.id,
      criteria: { district: 'South' },
    });
    expect(south).toMatchObject({ status: 'awaiting_approval', matched: 6, processed: 0 });
    expect(await statusOf(petition.id, 'South Signer a')).toBe('verified');

    const self = await approve(south.id, first);
    expect([self.status, self.body.code]).toEqual([403, 'second_moderator_required']);
    await approve(south.id, second).expect(200);
    expect(await finished(south.id)).toMatchObject({
      status: 'completed',
      processed: 6,
      approvedBy: second.id,
    });
    const counts = await countsMatchRows(t, petition.id);
    expect(counts).toMatchObject({ verified: 0, rejected: 12 });
  });

  it('counts per moderator and per petition, and not what a second moderator approved', async () => {
    const petition = await newPetition();
    const other = await newPetition();
    await signMany(petition, 14, 'East', 'east-example.test');
    await signMany(petition, 6, 'West', 'west-example.test');
    await signMany(other, 6, 'East', 'east-example.test');

    // 14 > 10 on its own: approved by the second moderator, it no longer counts as the first's alone.
    const big = await request(first, { petitionId: petition.id, criteria: { district: 'East' } });
    expect(big).toMatchObject({ status: 'awaiting_approval', matched: 14 });
    await approve(big.id, second).expect(200);
    await finished(big.id);

    // Another moderator, and another petition, have budgets of their own.
    const bySecond = await request(second, {
      petitionId: petition.id,
      criteria: { district: 'West', fullNamePattern: 'West Signer a' },
    });
    expect(bySecond).toMatchObject({ status: 'running', matched: 1 });
    await finished(bySecond.id);
    const elsewhere = await request(first, {
      petitionId: other.id,
      criteria: { district: 'East' },
    });
    expect(elsewhere).toMatchObject({ status: 'running', matched: 6 });
    await finished(elsewhere.id);

    // The first moderator alone on this petition has changed nothing unapproved: 5 runs at once.
    const five = await request(first, {
      petitionId: petition.id,
      criteria: { district: 'West' },
    });
    expect(five).toMatchObject({ status: 'running', matched: 5 });
    await finished(five.id);
  });

  it('lets only one of two simultaneous requests through when together they pass the threshold', async () => {
    // Three tries, each on a fresh petition (so from a total of 0): 7 + 7 > 10, asked at once.
    for (let round = 0; round < 3; round++) {
      const petition = await newPetition();
      await signMany(petition, 7, 'Upper', 'upper-example.test');
      await signMany(petition, 7, 'Lower', 'lower-example.test');
      const [a, b] = await Promise.all([
        request(first, { petitionId: petition.id, criteria: { district: 'Upper' } }),
        request(first, { petitionId: petition.id, criteria: { district: 'Lower' } }),
      ]);
      expect([a.matched, b.matched]).toEqual([7, 7]);
      expect([a.status, b.status].sort()).toEqual(['awaiting_approval', 'running']);
      await finished(a.status === 'running' ? a.id : b.id);
    }
  });

  it('never changes more than it matched: later arrivals and later matches are left for a new request', async () => {
    const petition = await newPetition();
    const domain = 'wave-example.test';
    await signMany(petition, 12, 'Wave', domain);
    // In review (digits in the name), so not matched by `statuses: ['verified']` when requested.
    await sign(petition.id, 'Wave Signer 7', `late.review@${domain}`, 'Wave');
    await settle(petition.id, 13);
    expect(await statusOf(petition.id, 'Wave Signer 7')).toBe('needs_review');

    const invalidation = await request(first, {
      petitionId: petition.id,
      criteria: { emailDomain: domain, statuses: ['verified'] },
    });
    expect(invalidation).toMatchObject({ status: 'awaiting_approval', matched: 12 });

    // Between the request and its run: a moderator verifies the one in review, and three more
    // sign from the same domain. Both would match the criteria now.
    const [{ id: inReview }] = (
      await t.db.query<{ id: string }>(
        `SELECT id FROM signatures WHERE petition_id = $1 AND full_name = 'Wave Signer 7'`,
        [petition.id],
      )
    ).rows;
    await t
      .http()
      .post(`/v1/moderation/signatures/${inReview}/decision`)
      .set(second.auth)
      .send({ decision: 'verify', reasonCode: 'identity_confirmed' })
      .expect(200);
    for (const name of ['Wave Late a', 'Wave Late b', 'Wave Late c']) {
      await sign(petition.id, name, `${name.replace(/ /g, '.').toLowerCase()}@${domain}`, 'Wave');
    }
    await settle(petition.id, 16);
    const dry = await request(first, {
      petitionId: petition.id,
      criteria: { emailDomain: domain, statuses: ['verified'] },
      dryRun: true,
    });
    expect(dry.matched).toBe(16);

    await approve(invalidation.id, second).expect(200);
    const done = await finished(invalidation.id);
    expect(done).toMatchObject({ status: 'completed', matched: 12, processed: 12 });
    for (const name of ['Wave Signer 7', 'Wave Late a', 'Wave Late b', 'Wave Late c']) {
      expect([name, await statusOf(petition.id, name)]).toEqual([name, 'verified']);
    }
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM signature_events WHERE invalidation_id = $1`,
      [invalidation.id],
    );
    expect(rows[0].n).toBe(12);
    expect(await countsMatchRows(t, petition.id)).toMatchObject({ verified: 4, rejected: 12 });
  });

  it('refuses a sameSourceAs from another petition with 400, and previews only this petition', async () => {
    const petition = await newPetition();
    const other = await newPetition();
    // Every request of a spec comes from 127.0.0.1: one source on both petitions.
    await sign(petition.id, 'Agata Istochnikova', 'agata.source@example.org');
    await sign(petition.id, 'Bogdan Istochnikov', 'bogdan.source@example.org');
    await sign(other.id, 'Vlad Chuzhoy', 'vlad.source@example.org');
    await sign(other.id, 'Galina Chuzhaya', 'galina.source@example.org');
    await sign(other.id, 'Denis Chuzhoy', 'denis.source@example.org');
    await settle(petition.id, 2);
    await settle(other.id, 3);
    const idIn = async (petitionId: string) =>
      (
        await t.db.query<{ id: string }>(
          `SELECT id FROM signatures WHERE petition_id = $1 ORDER BY created_at LIMIT 1`,
          [petitionId],
        )
      ).rows[0].id;
    const foreign = await idIn(other.id);

    for (const dryRun of [true, false]) {
      const res = await create(first, {
        petitionId: petition.id,
        criteria: { sameSourceAs: foreign },
        dryRun,
      });
      expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
      expect(res.body.message).toMatch(/signature of this petition/);
      expect(res.body.details).toEqual([
        { field: 'criteria.sameSourceAs', message: expect.stringMatching(/this petition/) },
      ]);
      expect(JSON.stringify(res.body)).not.toContain('Chuzh');
    }
    const { rows } = await t.db.query(`SELECT 1 FROM invalidations WHERE petition_id = $1`, [
      petition.id,
    ]);
    expect(rows).toEqual([]);

    // The same source, named by a signature of this petition: only this petition's two.
    const preview = await request(first, {
      petitionId: petition.id,
      criteria: { sameSourceAs: await idIn(petition.id) },
      dryRun: true,
    });
    expect(preview).toMatchObject({ status: 'preview', matched: 2 });
  });
});

/** 0 → 'a', 1 → 'b', …: names without digits (digits send a signature to review). */
function letters(i: number): string {
  let out = '';
  let n = i;
  do {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}
