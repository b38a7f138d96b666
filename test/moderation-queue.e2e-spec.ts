import { AccountRole } from '../src/accounts/account-role.js';
import { countsMatchRows } from './support/counts.js';
import {
  adminAuth,
  createAccount,
  openPetition,
  type PetitionBody,
  type TestAccount,
} from './support/factories.js';
import { SmtpSink, tokenFrom } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import type { SignatureEventResponse } from '../src/moderation/dto/review-queue.dto.js';

interface CheckView {
  name: string;
  outcome: 'pass' | 'review' | 'fail';
  detail: string;
  risk: number;
}

interface RiskFactor {
  check: string;
  points: number;
  detail: string;
}

interface ReviewItem {
  signatureId: string;
  petitionId: string;
  fullName: string;
  district: string | null;
  title: string | null;
  emailDomain: string | null;
  checks: CheckView[];
  riskScore: number;
  riskFactors: RiskFactor[];
  claimedBy: string | null;
  claimExpiresAt: string | null;
  createdAt: string;
}

interface SignatureRow {
  id: string;
  full_name: string;
  status: string;
  created_at: Date;
  checks: Array<CheckView & { reasonCode?: string }> | null;
  risk_score: number | null;
}

/** As GET /v1/signatures/:id/events answers. */
type EventView = SignatureEventResponse;

type Auth = Record<string, string>;

const ITEM_KEYS = [
  'checks',
  'claimExpiresAt',
  'claimedBy',
  'createdAt',
  'district',
  'emailDomain',
  'fullName',
  'petitionId',
  'riskFactors',
  'riskScore',
  'signatureId',
  'title',
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UNKNOWN_ID = '00000000-0000-4000-8000-00000000dead';

const APP_ENV = { SOURCE_BURST_LIMIT: '100000', SIGN_MIN_RESPONSE_MS: '0' };

const oldestFirst = <T extends { created_at: Date; id: string }>(a: T, b: T) =>
  a.created_at.getTime() - b.created_at.getTime() || a.id.localeCompare(b.id);

/** Helpers bound to one running app. */
function moderationHelpers(getApp: () => TestApp) {
  const http = () => getApp().http();

  const sign = (petition: PetitionBody, body: Record<string, unknown>) =>
    http().post(`/v1/petitions/${petition.id}/signatures`).send(body).expect(202);

  /** The petition's signatures, oldest first, once there are `total` and none is pending. */
  const settled = (petition: PetitionBody, total: number): Promise<SignatureRow[]> =>
    waitFor(
      `${total} decided signatures`,
      async () => {
        const { rows } = await getApp().db.query<SignatureRow>(
          `SELECT id, full_name, status, created_at, checks, risk_score FROM signatures
            WHERE petition_id = $1`,
          [petition.id],
        );
        return rows.length === total && rows.every((r) => r.status !== 'pending')
          ? rows.sort(oldestFirst)
          : undefined;
      },
      { timeoutMs: 30_000 },
    );

  /** Signs one after another (each older than the next) and waits for the checks' decisions. */
  const signAll = async (
    petition: PetitionBody,
    signers: Array<Record<string, unknown>>,
  ): Promise<SignatureRow[]> => {
    const { rows } = await getApp().db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1',
      [petition.id],
    );
    for (const signer of signers) await sign(petition, signer);
    return settled(petition, rows[0].n + signers.length);
  };

  /** An open petition whose signatures go straight to the checks (no confirmation mail). */
  const reviewPetition = (organiser: TestAccount, moderator: TestAccount) =>
    openPetition(getApp(), organiser, moderator, { requireEmailConfirmation: false });

  /** `n` more signatures in review (throwaway-mail addresses), oldest first. */
  const addReviewSigners = async (
    petition: PetitionBody,
    n: number,
    tag: string,
  ): Promise<Array<{ id: string; fullName: string; email: string }>> => {
    const signers = Array.from({ length: n }, (_, i) => ({
      fullName: `Rita Testova ${tag} ${String.fromCharCode(65 + (i % 26))}${i >= 26 ? 'x' : ''}`,
      email: `reviewer.${tag}.${i}@mailinator.com`,
    }));
    const emails = new Map(signers.map((s) => [s.fullName, s.email]));
    const rows = (await signAll(petition, signers)).filter((r) => emails.has(r.full_name));
    expect(rows).toHaveLength(n);
    expect(rows.filter((r) => r.status !== 'needs_review')).toEqual([]);
    return rows.map((r) => ({ id: r.id, fullName: r.full_name, email: emails.get(r.full_name)! }));
  };

  /** The ids of `n` more signatures in review, oldest first. */
  const addReviewItems = async (petition: PetitionBody, n: number, tag: string) =>
    (await addReviewSigners(petition, n, tag)).map((s) => s.id);

  const queuePage = (auth: Auth, query: Record<string, string | number>) =>
    http().get('/v1/moderation/queue').query(query).set(auth);

  /** Every queue item, walking the pages. */
  const queueAll = async (
    auth: Auth,
    query: Record<string, string | number> = {},
  ): Promise<ReviewItem[]> => {
    const items: ReviewItem[] = [];
    let cursor: string | null = null;
    do {
      const page = await queuePage(auth, { limit: 100, ...query, ...(cursor ? { cursor } : {}) });
      expect(page.status).toBe(200);
      items.push(...(page.body.items as ReviewItem[]));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    return items;
  };

  const claim = (moderator: TestAccount, body: Record<string, unknown>) =>
    http().post('/v1/moderation/claims').set(moderator.auth).send(body);

  const release = (moderator: TestAccount, signatureId: string) =>
    http().delete(`/v1/moderation/claims/${signatureId}`).set(moderator.auth);

  const decide = (moderator: TestAccount, signatureId: string, body: Record<string, unknown>) =>
    http().post(`/v1/moderation/signatures/${signatureId}/decision`).set(moderator.auth).send(body);

  const events = async (auth: Auth, signatureId: string): Promise<EventView[]> => {
    const res = await http().get(`/v1/signatures/${signatureId}/events`).set(auth).expect(200);
    return res.body.items as EventView[];
  };

  const row = async (signatureId: string) => {
    const { rows } = await getApp().db.query<{
      status: string;
      reason_code: string | null;
      claimed_by: string | null;
      claim_expires_at: Date | null;
    }>('SELECT status, reason_code, claimed_by, claim_expires_at FROM signatures WHERE id = $1', [
      signatureId,
    ]);
    return rows[0];
  };

  /**
   * The counts endpoint equals the rows grouped by status within 3 s (polled: counts are cached
   * ~1 s), and says when a count last changed.
   */
  const expectCountsMatchRows = async (petition: PetitionBody): Promise<void> => {
    await countsMatchRows(getApp(), petition.id, 3_000);
    const res = await http().get(`/v1/petitions/${petition.id}/counts`).expect(200);
    expect(typeof res.body.updatedAt).toBe('string');
  };

  return {
    sign,
    settled,
    signAll,
    reviewPetition,
    addReviewSigners,
    addReviewItems,
    queuePage,
    queueAll,
    claim,
    release,
    decide,
    events,
    row,
    expectCountsMatchRows,
  };
}

/** riskFactors: exactly the checks that were not a pass, points = their risk, biggest first. */
function expectConsistentRisk(item: ReviewItem): void {
  const notPass = item.checks.filter((c) => c.outcome !== 'pass');
  expect(notPass.length).toBeGreaterThan(0);
  const byCheck = (a: RiskFactor, b: RiskFactor) => a.check.localeCompare(b.check);
  expect([...item.riskFactors].sort(byCheck)).toEqual(
    notPass.map((c) => ({ check: c.name, points: c.risk, detail: c.detail })).sort(byCheck),
  );
  for (let i = 1; i < item.riskFactors.length; i++) {
    expect(item.riskFactors[i - 1].points).toBeGreaterThanOrEqual(item.riskFactors[i].points);
  }
  const sum = item.riskFactors.reduce((s, f) => s + f.points, 0);
  expect(item.riskScore).toBe(Math.min(100, sum));
}

/** The review queue, claims and moderators' decisions on signatures, end to end. */
describe('moderation queue', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let organiser: TestAccount;
  let moderatorA: TestAccount;
  let moderatorB: TestAccount;
  let moderatorC: TestAccount;
  let moderatorD: TestAccount;
  const h = moderationHelpers(() => t);

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({ env: { ...APP_ENV, SMTP_URL: smtp.url } });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderatorA = await createAccount(t, AccountRole.Moderator);
    moderatorB = await createAccount(t, AccountRole.Moderator);
    moderatorC = await createAccount(t, AccountRole.Moderator);
    moderatorD = await createAccount(t, AccountRole.Moderator);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  // Runs first: it checks the whole queue, before other tests add to it.
  it('lists only signatures in review, oldest first, with checks, risk factors and no emails', async () => {
    const plain = await h.reviewPetition(organiser, moderatorA);
    await h.signAll(plain, [{ fullName: 'Ivan Primerov', email: 'ivan.primerov@example.org' }]);
    const plainRows = await h.signAll(plain, [
      { fullName: 'Vera Testova', email: 'vera.testova@example.org' },
      { fullName: 'Ivan Primerov', email: 'ivan.second@mailinator.com', title: 'Engineer' },
      { fullName: 'Oleg 2 Testov', email: 'oleg.testov@example.org', district: 'District 4' },
      { fullName: 'Anna Primerova', email: 'anna.primerova@mailinator.com' },
      { fullName: 'Spam <b>Bot</b>', email: 'spam.bot@example.org' },
    ]);
    expect(plainRows.map((r) => `${r.full_name}: ${r.status}`).sort()).toEqual([
      'Anna Primerova: needs_review',
      'Ivan Primerov: needs_review',
      'Ivan Primerov: verified',
      'Oleg 2 Testov: needs_review',
      'Spam <b>Bot</b>: rejected',
      'Vera Testova: verified',
    ]);
    const firstIvan = plainRows.find((r) => r.full_name === 'Ivan Primerov')!;
    expect(firstIvan.status).toBe('verified');

    // A petition with an (empty) eligibility register: every signer there needs a moderator.
    const register = await t
      .http()
      .post('/v1/registers')
      .set(moderatorA.auth)
      .send({ name: 'Deputies of Sampletown' })
      .expect(201);
    const withRegister = await openPetition(t, organiser, moderatorA, {
      requireEmailConfirmation: false,
      registerId: register.body.id,
    });
    await h.signAll(withRegister, [
      {
        fullName: 'Petr 7 Kuznetsov',
        email: 'petr.kuznetsov@mailinator.com',
        district: 'District 1',
      },
      { fullName: 'Maria Testova', email: 'maria.testova@example.org' },
    ]);

    // Unconfirmed signatures (confirmation required) are not in review either.
    const confirming = await openPetition(t, organiser, moderatorA);
    await h.sign(confirming, { fullName: 'Olga 3 Testova', email: 'olga.testova@mailinator.com' });
    await h.settled(confirming, 1);

    const { rows: reviewRows } = await t.db.query<SignatureRow>(
      `SELECT id, full_name, status, created_at, checks, risk_score FROM signatures
        WHERE status = 'needs_review'`,
    );
    reviewRows.sort(oldestFirst);
    expect(new Set(reviewRows.map((r) => r.full_name))).toEqual(
      new Set([
        'Ivan Primerov',
        'Oleg 2 Testov',
        'Anna Primerova',
        'Petr 7 Kuznetsov',
        'Maria Testova',
      ]),
    );

    const res = await h.queuePage(moderatorA.auth, {}).expect(200);
    expect(res.body.nextCursor).toBeNull();
    const items = res.body.items as ReviewItem[];
    expect(items.map((i) => i.signatureId)).toEqual(reviewRows.map((r) => r.id));

    for (const [n, item] of items.entries()) {
      const dbRow = reviewRows[n];
      expect(Object.keys(item).sort()).toEqual(ITEM_KEYS);
      expect(item.signatureId).toMatch(UUID);
      expect(item.fullName).toBe(dbRow.full_name);
      expect(item.createdAt).toBe(dbRow.created_at.toISOString());
      expect(item.claimedBy).toBeNull();
      expect(item.claimExpiresAt).toBeNull();
      expect(item.checks).toEqual(
        dbRow.checks!.map((c) => ({
          name: c.name,
          outcome: c.outcome,
          detail: c.detail,
          risk: c.risk,
        })),
      );
      expect(item.checks.every((c) => c.outcome !== 'fail')).toBe(true);
      expectConsistentRisk(item);
      expect(item.riskScore).toBe(dbRow.risk_score);
    }

    const byName = new Map(items.map((i) => [i.fullName, i]));
    const ivan = byName.get('Ivan Primerov')!;
    expect(ivan).toMatchObject({
      petitionId: plain.id,
      district: null,
      title: 'Engineer',
      emailDomain: 'mailinator.com',
    });
    expect(ivan.riskFactors.map((f) => f.check)).toEqual(['duplicate_person', 'disposable_email']);
    expect(ivan.riskFactors[0].detail).toContain(firstIvan.id);
    expect(byName.get('Oleg 2 Testov')).toMatchObject({
      district: 'District 4',
      title: null,
      emailDomain: 'example.org',
      riskFactors: [{ check: 'implausible_name', points: expect.any(Number) }],
    });
    expect(byName.get('Anna Primerova')!.riskFactors.map((f) => f.check)).toEqual([
      'disposable_email',
    ]);
    const petr = byName.get('Petr 7 Kuznetsov')!;
    expect(petr.petitionId).toBe(withRegister.id);
    expect(petr.riskFactors[0].check).toBe('eligibility_register');
    expect(new Set(petr.riskFactors.slice(1).map((f) => f.check))).toEqual(
      new Set(['implausible_name', 'disposable_email']),
    );
    // Three factors add up to more than 100: the score is capped.
    expect(petr.riskFactors.reduce((s, f) => s + f.points, 0)).toBeGreaterThan(100);
    expect(petr.riskScore).toBe(100);
    expect(byName.get('Maria Testova')!.riskFactors.map((f) => f.check)).toEqual([
      'eligibility_register',
    ]);

    // Only the email's domain, never an address.
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('@');
    for (const local of ['ivan.second', 'oleg.testov', 'anna.primerova', 'petr.kuznetsov']) {
      expect(text).not.toContain(local);
    }

    // Filtered by petition.
    const filtered = await h.queueAll(moderatorA.auth, { petitionId: withRegister.id });
    expect(filtered.map((i) => i.fullName)).toEqual(
      items.filter((i) => i.petitionId === withRegister.id).map((i) => i.fullName),
    );
    expect(filtered).toHaveLength(2);
    expect(await h.queueAll(moderatorA.auth, { petitionId: confirming.id })).toEqual([]);
    const badFilter = await h.queuePage(moderatorA.auth, { petitionId: 'not-a-uuid' });
    expect([badFilter.status, badFilter.body.code]).toEqual([400, 'validation_failed']);

    // Two at a time, every item once.
    const walked: ReviewItem[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await h
        .queuePage(moderatorB.auth, { limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      walked.push(...(page.body.items as ReviewItem[]));
      pageSizes.push(page.body.items.length);
      cursor = page.body.nextCursor as string | null;
    } while (cursor && pageSizes.length < 10);
    expect(pageSizes).toEqual([2, 2, 1]);
    expect(walked.map((i) => i.signatureId)).toEqual(items.map((i) => i.signatureId));
    expect(new Set(walked.map((i) => i.signatureId)).size).toBe(walked.length);

    for (const cursorValue of [
      'not-a-cursor',
      Buffer.from(JSON.stringify(['1', UNKNOWN_ID])).toString('base64url'),
    ]) {
      const bad = await h.queuePage(moderatorA.auth, { cursor: cursorValue });
      expect([bad.status, bad.body.code]).toEqual([400, 'invalid_cursor']);
    }

    // Who may look.
    await t.http().get('/v1/moderation/queue').expect(401);
    const asOrganiser = await h.queuePage(organiser.auth, {});
    expect(asOrganiser.status).toBe(403);
    expect(JSON.stringify(asOrganiser.body)).not.toContain('Primerov');
    const asAdmin = await h.queuePage(adminAuth, {}).expect(200);
    expect((asAdmin.body.items as ReviewItem[]).map((i) => i.signatureId)).toEqual(
      items.map((i) => i.signatureId),
    );
  });

  it('gives two moderators claiming at the same moment different signatures', async () => {
    const petition = await h.reviewPetition(organiser, moderatorA);
    const ids = await h.addReviewItems(petition, 7, 'pair');

    const [a, b] = await Promise.all([
      h.claim(moderatorA, { petitionId: petition.id, limit: 3 }),
      h.claim(moderatorB, { petitionId: petition.id, limit: 3 }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const aIds = (a.body.items as ReviewItem[]).map((i) => i.signatureId);
    const bIds = (b.body.items as ReviewItem[]).map((i) => i.signatureId);
    expect(aIds).toHaveLength(3);
    expect(bIds).toHaveLength(3);
    expect(aIds.filter((id) => bIds.includes(id))).toEqual([]);
    // The six oldest went, each moderator's in age order.
    expect(new Set([...aIds, ...bIds])).toEqual(new Set(ids.slice(0, 6)));
    expect(aIds).toEqual(ids.filter((id) => aIds.includes(id)));
    for (const [res, moderator] of [
      [a, moderatorA],
      [b, moderatorB],
    ] as const) {
      expect(Date.parse(res.body.expiresAt as string)).toBeGreaterThan(Date.now());
      for (const item of res.body.items as ReviewItem[]) {
        expect(Object.keys(item).sort()).toEqual(ITEM_KEYS);
        expect(item.claimedBy).toBe(moderator.id);
        expect(item.claimExpiresAt).toBe(res.body.expiresAt);
        expectConsistentRisk(item);
      }
    }

    const queue = await h.queueAll(moderatorC.auth, { petitionId: petition.id });
    expect(queue.map((i) => i.signatureId)).toEqual(ids);
    for (const item of queue) {
      const holder = aIds.includes(item.signatureId)
        ? moderatorA.id
        : bIds.includes(item.signatureId)
          ? moderatorB.id
          : null;
      expect(item.claimedBy).toBe(holder);
      if (holder) expect(Date.parse(item.claimExpiresAt!)).toBeGreaterThan(Date.now());
      else expect(item.claimExpiresAt).toBeNull();
    }

    // Only the one left unclaimed is there to take.
    const rest = await h.claim(moderatorC, { petitionId: petition.id, limit: 3 }).expect(200);
    expect((rest.body.items as ReviewItem[]).map((i) => i.signatureId)).toEqual([ids[6]]);
    const none = await h.claim(moderatorD, { petitionId: petition.id, limit: 3 }).expect(200);
    expect(none.body).toEqual({ items: [], expiresAt: null });
  });

  it('never hands one signature to two of many moderators claiming concurrently', async () => {
    const petition = await h.reviewPetition(organiser, moderatorA);
    const ids = await h.addReviewItems(petition, 30, 'stress');

    const moderators = [moderatorA, moderatorB, moderatorC, moderatorD];
    const requests = moderators.flatMap((m) =>
      Array.from({ length: 5 }, () =>
        h.claim(m, { petitionId: petition.id, limit: 2 }).then((res) => ({ m, res })),
      ),
    );
    const results = await Promise.all(requests);
    const holder = new Map<string, string>();
    const seen: string[] = [];
    for (const { m, res } of results) {
      expect(res.status).toBe(200);
      const items = res.body.items as ReviewItem[];
      expect(items.length).toBeLessThanOrEqual(2);
      for (const item of items) {
        expect(item.claimedBy).toBe(m.id);
        seen.push(item.signatureId);
        holder.set(item.signatureId, m.id);
      }
    }
    expect(seen.length).toBe(new Set(seen).size); // no signature twice
    // 20 requests for up to 2 each over 30 items: each request skips only what another takes.
    expect(new Set(seen)).toEqual(new Set(ids));

    const queue = await h.queueAll(moderatorA.auth, { petitionId: petition.id });
    expect(queue).toHaveLength(30);
    for (const item of queue) expect(item.claimedBy).toBe(holder.get(item.signatureId));
    const { rows } = await t.db.query<{ id: string; claimed_by: string }>(
      'SELECT id, claimed_by FROM signatures WHERE petition_id = $1',
      [petition.id],
    );
    for (const r of rows) expect(r.claimed_by).toBe(holder.get(r.id));
  });

  it('refuses a claim limit outside 1..50 or missing', async () => {
    for (const body of [{ limit: 0 }, { limit: 51 }, {}, { limit: 'many' }, { limit: 2.5 }]) {
      const res = await h.claim(moderatorA, body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({
        body,
        status: 400,
        code: 'validation_failed',
      });
    }
    const { rows } = await t.db.query(
      'SELECT count(*)::int AS n FROM signatures WHERE claimed_by = $1',
      [moderatorA.id],
    );
    const before = rows[0].n as number;
    await t.http().post('/v1/moderation/claims').send({ limit: 1 }).expect(401);
    await h.claim(organiser, { limit: 1 }).expect(403);
    const after = await t.db.query(
      'SELECT count(*)::int AS n FROM signatures WHERE claimed_by = $1',
      [moderatorA.id],
    );
    expect(after.rows[0].n).toBe(before);
  });

  it('lets the holder give a claim back, and no one else', async () => {
    const petition = await h.reviewPetition(organiser, moderatorA);
    const [first] = await h.addReviewItems(petition, 2, 'release');

    const claimed = await h.claim(moderatorA, { petitionId: petition.id, limit: 1 }).expect(200);
    expect((claimed.body.items as ReviewItem[]).map((i) => i.signatureId)).toEqual([first]);

    const byOther = await h.release(moderatorB, first);
    expect([byOther.status, byOther.body.code]).toEqual([409, 'claimed_by_other']);
    let item = (await h.queueAll(moderatorA.auth, { petitionId: petition.id }))[0];
    expect(item.claimedBy).toBe(moderatorA.id);

    await h.release(moderatorA, first).expect(204);
    item = (await h.queueAll(moderatorA.auth, { petitionId: petition.id }))[0];
    expect(item).toMatchObject({ signatureId: first, claimedBy: null, claimExpiresAt: null });
    expect(await h.row(first)).toMatchObject({ claimed_by: null, status: 'needs_review' });

    // Nobody holds it now: giving it back is a no-op for anyone.
    await h.release(moderatorA, first).expect(204);
    await h.release(moderatorB, first).expect(204);

    const unknown = await h.release(moderatorA, UNKNOWN_ID);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'not_found']);
    await h.release(moderatorA, 'not-a-uuid').expect(404);
    await t.http().delete(`/v1/moderation/claims/${first}`).set(organiser.auth).expect(403);

    // Free again: the next claim takes it.
    const again = await h.claim(moderatorB, { petitionId: petition.id, limit: 1 }).expect(200);
    expect((again.body.items as ReviewItem[]).map((i) => i.signatureId)).toEqual([first]);
  });

  it('records decisions with a fitting reason, and refuses the rest', async () => {
    const petition = await h.reviewPetition(organiser, moderatorA);
    const [plain] = await h.signAll(petition, [
      { fullName: 'Vera Primerova', email: 'vera.primerova@example.org' },
    ]);
    expect(plain.status).toBe('verified');
    const signers = await h.addReviewSigners(petition, 4, 'decide');
    const [s1, s2, s3, s4] = signers.map((s) => s.id);
    const s2Email = signers[1].email;

    const verifyNote = 'Phoned the signer; the name is right.';
    const verified = await h
      .decide(moderatorA, s1, {
        decision: 'verify',
        reasonCode: 'identity_confirmed',
        note: verifyNote,
      })
      .expect(200);
    expect(verified.body).toEqual({ status: 'verified' });
    const rejectNote = 'Part of a scripted batch from one network.';
    const rejected = await h
      .decide(moderatorA, s2, { decision: 'reject', reasonCode: 'fraudulent', note: rejectNote })
      .expect(200);
    expect(rejected.body).toEqual({ status: 'rejected' });

    for (const body of [
      { decision: 'verify', reasonCode: 'fraudulent' },
      { decision: 'reject', reasonCode: 'namesake' },
      { decision: 'verify', reasonCode: 'because_i_said_so' },
      { decision: 'reject', reasonCode: 'disposable_email' },
      { decision: 'reject' },
      { decision: 'approve', reasonCode: 'other' },
      { reasonCode: 'other' },
    ]) {
      const res = await h.decide(moderatorA, s3, body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({
        body,
        status: 400,
        code: 'validation_failed',
      });
    }
    const misfit = await h.decide(moderatorA, s3, { decision: 'verify', reasonCode: 'fraudulent' });
    expect(misfit.body.details).toEqual([
      {
        field: 'reasonCode',
        message:
          'to verify, reasonCode must be one of identity_confirmed, namesake, eligible_not_on_register, other',
      },
    ]);
    expect((await h.row(s3)).status).toBe('needs_review');

    // B holds s3 (the oldest left in review): A may not decide it, B may.
    const claimed = await h.claim(moderatorB, { petitionId: petition.id, limit: 1 }).expect(200);
    expect((claimed.body.items as ReviewItem[]).map((i) => i.signatureId)).toEqual([s3]);
    const taken = await h.decide(moderatorA, s3, { decision: 'reject', reasonCode: 'duplicate' });
    expect([taken.status, taken.body.code]).toEqual([409, 'claimed_by_other']);
    expect((await h.row(s3)).status).toBe('needs_review');
    const byHolder = await h
      .decide(moderatorB, s3, { decision: 'verify', reasonCode: 'namesake' })
      .expect(200);
    expect(byHolder.body).toEqual({ status: 'verified' });
    expect(await h.row(s3)).toMatchObject({ claimed_by: null, claim_expires_at: null });

    // Decided already, or never in review.
    for (const [id, body] of [
      [s1, { decision: 'verify', reasonCode: 'identity_confirmed' }],
      [s1, { decision: 'reject', reasonCode: 'other', note: 'second thoughts' }],
      [s2, { decision: 'verify', reasonCode: 'other' }],
      [plain.id, { decision: 'reject', reasonCode: 'duplicate' }],
    ] as const) {
      const res = await h.decide(moderatorB, id, body);
      expect({ id, status: res.status, code: res.body.code }).toEqual({
        id,
        status: 409,
        code: 'already_decided',
      });
    }
    const unknown = await h.decide(moderatorA, UNKNOWN_ID, {
      decision: 'verify',
      reasonCode: 'other',
    });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'not_found']);
    await h
      .decide(moderatorA, 'not-a-uuid', { decision: 'verify', reasonCode: 'other' })
      .expect(404);
    await h.decide(organiser, s4, { decision: 'verify', reasonCode: 'other' }).expect(403);
    await t
      .http()
      .post(`/v1/moderation/signatures/${s4}/decision`)
      .send({ decision: 'verify', reasonCode: 'other' })
      .expect(401);

    expect(await h.row(s1)).toMatchObject({
      status: 'verified',
      reason_code: 'identity_confirmed',
    });
    expect(await h.row(s2)).toMatchObject({ status: 'rejected', reason_code: 'fraudulent' });
    expect(await h.row(s4)).toMatchObject({ status: 'needs_review' });
    await h.expectCountsMatchRows(petition);

    // The history shows who decided, why, and what they noted.
    const s2Events = await h.events(moderatorB.auth, s2);
    expect(s2Events.filter((e) => e.actor === 'moderator')).toEqual([
      {
        from: 'needs_review',
        to: 'rejected',
        actor: 'moderator',
        actorId: moderatorA.id,
        reasonCode: 'fraudulent',
        note: rejectNote,
        invalidationId: null,
        at: expect.any(String),
      },
    ]);
    expect(s2Events[s2Events.length - 1].to).toBe('rejected');
    expect(s2Events.map((e) => e.to)).toContain('needs_review');
    for (let i = 1; i < s2Events.length; i++) {
      expect(Date.parse(s2Events[i].at)).toBeGreaterThanOrEqual(Date.parse(s2Events[i - 1].at));
    }
    const s1Events = await h.events(adminAuth, s1);
    expect(s1Events[s1Events.length - 1]).toMatchObject({
      from: 'needs_review',
      to: 'verified',
      actor: 'moderator',
      actorId: moderatorA.id,
      reasonCode: 'identity_confirmed',
      note: verifyNote,
    });
    const s3Events = await h.events(moderatorA.auth, s3);
    expect(s3Events[s3Events.length - 1]).toMatchObject({
      actor: 'moderator',
      actorId: moderatorB.id,
      reasonCode: 'namesake',
      note: null,
    });
    await t.http().get(`/v1/signatures/${s2}/events`).set(organiser.auth).expect(403);
    await t.http().get(`/v1/signatures/${s2}/events`).expect(401);
    const noEvents = await t.http().get(`/v1/signatures/${UNKNOWN_ID}/events`).set(moderatorA.auth);
    expect([noEvents.status, noEvents.body.code]).toEqual([404, 'not_found']);

    // The signer, looking it up with the link from their receipt, sees why it was rejected.
    const mail = await waitFor('the receipt mail', async () => smtp.mailsTo(s2Email)[0]);
    const lookup = await t
      .http()
      .post('/v1/signatures/lookup')
      .send({ token: tokenFrom(mail, 'withdraw') })
      .expect(200);
    expect(lookup.body).toMatchObject({
      status: 'rejected',
      petitionId: petition.id,
      reasonCode: 'fraudulent',
    });
  });

  it('lets exactly one of two moderators deciding at the same moment win', async () => {
    const petition = await h.reviewPetition(organiser, moderatorA);
    const ids = await h.addReviewItems(petition, 3, 'race');

    const rounds = await Promise.all(
      ids.map((id) =>
        Promise.all([
          h.decide(moderatorA, id, { decision: 'verify', reasonCode: 'identity_confirmed' }),
          h.decide(moderatorB, id, { decision: 'reject', reasonCode: 'duplicate' }),
        ]),
      ),
    );
    for (const [n, [a, b]] of rounds.entries()) {
      const id = ids[n];
      const outcomes = [
        {
          who: moderatorA.id,
          status: a.status,
          body: a.body,
          to: 'verified',
          reason: 'identity_confirmed',
        },
        { who: moderatorB.id, status: b.status, body: b.body, to: 'rejected', reason: 'duplicate' },
      ];
      expect(outcomes.map((o) => o.status).sort()).toEqual([200, 409]);
      const winner = outcomes.find((o) => o.status === 200)!;
      const loser = outcomes.find((o) => o.status === 409)!;
      expect(winner.body).toEqual({ status: winner.to });
      expect(loser.body.code).toBe('already_decided');
      expect(await h.row(id)).toMatchObject({ status: winner.to, reason_code: winner.reason });
      const decisions = (await h.events(moderatorA.auth, id)).filter(
        (e) => e.actor === 'moderator',
      );
      expect(decisions).toEqual([
        expect.objectContaining({
          from: 'needs_review',
          to: winner.to,
          actorId: winner.who,
          reasonCode: winner.reason,
        }),
      ]);
    }
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS n FROM signature_events e JOIN signatures s ON s.id = e.signature_id
        WHERE s.petition_id = $1 AND e.actor_type = 'moderator'`,
      [petition.id],
    );
    expect(rows[0].n).toBe(3);
    await h.expectCountsMatchRows(petition);
  });

  it('lists the reason codes with what each means and which decisions it fits', async () => {
    const res = await t.http().get('/v1/moderation/reason-codes').set(moderatorA.auth).expect(200);
    const items = res.body.items as Array<{
      code: string;
      description: string;
      decisions: string[];
    }>;
    const byCode = new Map(items.map((i) => [i.code, i]));
    for (const code of ['duplicate', 'not_eligible', 'fake_name', 'fraudulent', 'signer_request']) {
      expect(byCode.get(code)).toEqual({
        code,
        description: expect.stringMatching(/\S/),
        decisions: ['reject'],
      });
    }
    for (const code of ['identity_confirmed', 'namesake', 'eligible_not_on_register']) {
      expect(byCode.get(code)).toEqual({
        code,
        description: expect.stringMatching(/\S/),
        decisions: ['verify'],
      });
    }
    expect(byCode.get('other')).toEqual({
      code: 'other',
      description: expect.stringMatching(/\S/),
      decisions: expect.arrayContaining(['verify', 'reject']),
    });
    for (const item of items) {
      expect(Array.isArray(item.decisions)).toBe(true);
      expect(typeof item.description).toBe('string');
    }
    // Petition rejection codes come in a list of their own, so a client that offers `items` for
    // signature decisions never offers a petition code (and `other`, in both, stays unambiguous).
    expect(items.map((i) => i.code)).not.toContain('spam');
    const petitionItems = res.body.petitionItems as typeof items;
    const petitionCodes = ['spam', 'duplicate_petition', 'unlawful', 'personal_data', 'unclear'];
    expect(petitionItems.map((i) => i.code)).toEqual([...petitionCodes, 'other']);
    for (const item of petitionItems) {
      expect(item).toEqual({
        code: item.code,
        description: expect.stringMatching(/\S/),
        decisions: ['reject'],
      });
    }
    expect(Object.keys(res.body).sort()).toEqual(['items', 'petitionItems']);
    await t.http().get('/v1/moderation/reason-codes').expect(401);
    await t.http().get('/v1/moderation/reason-codes').set(organiser.auth).expect(403);
  });
});

/** A claim is a lease: once it lapses, another moderator may take and decide the signature. */
describe('moderation claim lease', () => {
  let t: TestApp;
  let organiser: TestAccount;
  let moderatorA: TestAccount;
  let moderatorB: TestAccount;
  let moderatorC: TestAccount;
  const h = moderationHelpers(() => t);

  beforeAll(async () => {
    // A short lease, but not so short that B's claim lapses between two requests below.
    t = await startTestApp({ env: { ...APP_ENV, CLAIM_LEASE_SECONDS: '2' } });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderatorA = await createAccount(t, AccountRole.Moderator);
    moderatorB = await createAccount(t, AccountRole.Moderator);
    moderatorC = await createAccount(t, AccountRole.Moderator);
  });
  afterAll(async () => {
    await t.close();
  });

  it('frees a lapsed claim for another moderator, who then holds it until deciding', async () => {
    const petition = await h.reviewPetition(organiser, moderatorA);
    const [first, second] = await h.addReviewItems(petition, 2, 'lease');

    const a = await h.claim(moderatorA, { petitionId: petition.id, limit: 1 }).expect(200);
    expect((a.body.items as ReviewItem[]).map((i) => i.signatureId)).toEqual([first]);
    const c = await h.claim(moderatorC, { petitionId: petition.id, limit: 1 }).expect(200);
    expect((c.body.items as ReviewItem[]).map((i) => i.signatureId)).toEqual([second]);

    await waitFor(
      'the claims to lapse',
      async () => {
        const queue = await h.queueAll(moderatorB.auth, { petitionId: petition.id });
        return queue.length === 2 &&
          queue.every((i) => i.claimedBy === null && i.claimExpiresAt === null)
          ? queue
          : undefined;
      },
      { timeoutMs: 10_000 },
    );

    const b = await h.claim(moderatorB, { petitionId: petition.id, limit: 1 }).expect(200);
    expect((b.body.items as ReviewItem[]).map((i) => i.signatureId)).toEqual([first]);
    expect((b.body.items as ReviewItem[])[0].claimedBy).toBe(moderatorB.id);

    const aDecides = await h.decide(moderatorA, first, {
      decision: 'reject',
      reasonCode: 'duplicate',
    });
    expect([aDecides.status, aDecides.body.code]).toEqual([409, 'claimed_by_other']);
    const aReleases = await h.release(moderatorA, first);
    expect([aReleases.status, aReleases.body.code]).toEqual([409, 'claimed_by_other']);

    await h
      .decide(moderatorB, first, {
        decision: 'reject',
        reasonCode: 'fake_name',
        note: 'Not a name.',
      })
      .expect(200);
    const late = await h.decide(moderatorA, first, { decision: 'verify', reasonCode: 'other' });
    expect([late.status, late.body.code]).toEqual([409, 'already_decided']);

    // C's claim on the second one lapsed too: anyone may decide it.
    const free = await h
      .decide(moderatorA, second, { decision: 'verify', reasonCode: 'eligible_not_on_register' })
      .expect(200);
    expect(free.body).toEqual({ status: 'verified' });

    const decisions = (await h.events(moderatorA.auth, first)).filter(
      (e) => e.actor === 'moderator',
    );
    expect(decisions).toEqual([
      expect.objectContaining({
        to: 'rejected',
        actorId: moderatorB.id,
        reasonCode: 'fake_name',
        note: 'Not a name.',
      }),
    ]);
    await h.expectCountsMatchRows(petition);
  });
});
