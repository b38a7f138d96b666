import { randomUUID } from 'node:crypto';
import { AccountRole } from '../src/accounts/account-role.js';
import { JobProducer } from '../src/queue/job-producer.js';
import { JobName } from '../src/queue/queue-names.js';
import { countsMatchRows, rowCounts } from './support/counts.js';
import {
  createAccount,
  openPetition,
  type PetitionBody,
  type TestAccount,
} from './support/factories.js';
import { SmtpSink, tokenFrom } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import type { SignatureEventResponse } from '../src/moderation/dto/review-queue.dto.js';

interface Signer {
  fullName: string;
  email: string;
  district: string;
  origin: 'public' | 'import';
}

interface Invalidation {
  id: string;
  status: string;
  matched: number;
  processed: number;
  requestedBy: string;
  approvedBy: string | null;
  petitionId: string;
  criteria: Record<string, unknown>;
  reasonCode: string;
  note: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** As GET /v1/signatures/:id/events answers. */
type SignatureEvent = SignatureEventResponse;

/** Bulk invalidation of signatures by criteria: dry runs, approval, cancelling, and what it leaves alone. */
describe('bulk invalidations', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let organiser: TestAccount;
  let requester: TestAccount;
  let approver: TestAccount;

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({
      env: {
        SMTP_URL: smtp.url,
        SOURCE_BURST_LIMIT: '100000',
        SIGN_MIN_RESPONSE_MS: '0',
        INVALIDATION_APPROVAL_THRESHOLD: '10',
      },
    });
    organiser = await createAccount(t, AccountRole.Organiser);
    requester = await createAccount(t, AccountRole.Moderator);
    approver = await createAccount(t, AccountRole.Moderator);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  // ---------------------------------------------------------------- helpers

  const newPetition = () =>
    openPetition(t, organiser, requester, { requireEmailConfirmation: false });

  const signPublic = async (petitionId: string, s: Omit<Signer, 'origin'>) => {
    await t
      .http()
      .post(`/v1/petitions/${petitionId}/signatures`)
      .send({ fullName: s.fullName, email: s.email, district: s.district })
      .expect(202);
  };

  const importRows = async (
    petitionId: string,
    rows: Array<{ fullName: string; email?: string; district?: string }>,
  ) => {
    const res = await t
      .http()
      .post(`/v1/petitions/${petitionId}/signatures/import`)
      .set(organiser.auth)
      .send({ signatures: rows })
      .expect(202);
    expect(res.body.accepted).toBe(rows.length);
    expect(res.body.rejected).toEqual([]);
  };

  const addSigners = async (petitionId: string, signers: Signer[]) => {
    for (const s of signers.filter((x) => x.origin === 'public')) await signPublic(petitionId, s);
    const imported = signers.filter((x) => x.origin === 'import');
    if (imported.length > 0) {
      await importRows(
        petitionId,
        imported.map(({ fullName, email, district }) => ({ fullName, email, district })),
      );
    }
  };

  /** Waits until the petition has `total` signatures and none is waiting for its checks. */
  const settle = (petitionId: string, total: number, timeoutMs = 20_000) =>
    waitFor(
      `${total} signatures decided`,
      async () => {
        const { rows } = await t.db.query<{ total: number; pending: number }>(
          `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'pending')::int AS pending
             FROM signatures WHERE petition_id = $1`,
          [petitionId],
        );
        return rows[0].total === total && rows[0].pending === 0 ? true : undefined;
      },
      { timeoutMs },
    );

  const statusesByName = async (petitionId: string) => {
    const { rows } = await t.db.query<{ full_name: string; status: string }>(
      `SELECT full_name, status FROM signatures WHERE petition_id = $1`,
      [petitionId],
    );
    return new Map(rows.map((r) => [r.full_name, r.status]));
  };

  const signatureId = async (petitionId: string, fullName: string) => {
    const { rows } = await t.db.query<{ id: string }>(
      `SELECT id FROM signatures WHERE petition_id = $1 AND full_name = $2`,
      [petitionId, fullName],
    );
    expect(rows).toHaveLength(1);
    return rows[0].id;
  };

  const eventCount = async (petitionId: string) => {
    const { rows } = await t.db.query<{ n: number; tagged: number }>(
      `SELECT count(*)::int AS n, count(e.invalidation_id)::int AS tagged
         FROM signature_events e JOIN signatures s ON s.id = e.signature_id
        WHERE s.petition_id = $1`,
      [petitionId],
    );
    return rows[0];
  };

  const eventsTaggedWith = async (invalidationId: string) => {
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM signature_events WHERE invalidation_id = $1`,
      [invalidationId],
    );
    return rows[0].n;
  };

  const eventsOf = async (id: string) =>
    (await t.http().get(`/v1/signatures/${id}/events`).set(requester.auth).expect(200)).body
      .items as SignatureEvent[];

  const create = (body: Record<string, unknown>, auth = requester.auth) =>
    t.http().post('/v1/moderation/invalidations').set(auth).send(body);

  const dryRun = async (petitionId: string, criteria: Record<string, unknown>) => {
    const res = await create({ petitionId, criteria, reasonCode: 'fraudulent', dryRun: true });
    expect(res.status).toBe(201);
    const body = res.body as Invalidation;
    expect(body.status).toBe('preview');
    expect(body.processed).toBe(0);
    return body.matched;
  };

  const getInvalidation = async (id: string) =>
    (await t.http().get(`/v1/moderation/invalidations/${id}`).set(requester.auth).expect(200))
      .body as Invalidation;

  const finished = (id: string, timeoutMs = 20_000) =>
    waitFor(
      `invalidation ${id} to finish`,
      async () => {
        const body = await getInvalidation(id);
        return body.status === 'completed' || body.status === 'cancelled' ? body : undefined;
      },
      { timeoutMs },
    );

  const jobState = (invalidationId: string) =>
    t.app.get(JobProducer).queue(JobName.RunInvalidation).getJobState(invalidationId);

  // ---------------------------------------------------------------- 1. dry runs

  describe('dry run, one criterion at a time', () => {
    let petition: PetitionBody;
    const spam = 'spam-example.test';
    const fixture: Signer[] = [
      { fullName: 'Bot Signer A', email: `bot.a@${spam}`, district: 'North', origin: 'public' },
      { fullName: 'Bot Signer B', email: `bot.b@${spam}`, district: 'North', origin: 'public' },
      { fullName: 'Bot Signer C', email: `bot.c@${spam}`, district: 'South', origin: 'public' },
      { fullName: 'Bot Signer 4', email: `bot.4@${spam}`, district: 'North', origin: 'public' },
      { fullName: 'Bot Signer G', email: 'bot.g@example.org', district: 'South', origin: 'public' },
      {
        fullName: 'Vera Testova',
        email: 'vera.testova@example.org',
        district: 'North',
        origin: 'public',
      },
      {
        fullName: 'Ivan Primerov',
        email: 'ivan.primerov@example.org',
        district: 'South',
        origin: 'public',
      },
      {
        fullName: 'Lena Per%cent',
        email: 'lena.percent@example.org',
        district: 'South',
        origin: 'public',
      },
      {
        fullName: 'Lena Perxxcent',
        email: 'lena.perxxcent@example.org',
        district: 'North',
        origin: 'public',
      },
      {
        fullName: 'Rita Under_score',
        email: 'rita.underscore@example.org',
        district: 'North',
        origin: 'public',
      },
      {
        fullName: 'Rita Underxscore',
        email: 'rita.underxscore@example.org',
        district: 'South',
        origin: 'public',
      },
      { fullName: 'Bot Signer D', email: `bot.d@${spam}`, district: 'North', origin: 'import' },
      { fullName: 'Bot Signer 9', email: `bot.9@${spam}`, district: 'South', origin: 'import' },
      {
        fullName: 'Mark Fakeev',
        email: `mark.fakeev@${spam}`,
        district: 'North',
        origin: 'import',
      },
      { fullName: 'Bot Signer H', email: 'bot.h@example.org', district: 'South', origin: 'import' },
      {
        fullName: 'Oleg Importov',
        email: 'oleg.importov@example.org',
        district: 'South',
        origin: 'import',
      },
      {
        fullName: 'Nina Bumagova',
        email: 'nina.bumagova@example.org',
        district: 'North',
        origin: 'import',
      },
    ];
    const isSpam = (s: Signer) => s.email.endsWith(`@${spam}`);
    const isBot = (s: Signer) => s.fullName.toLowerCase().startsWith('bot signer');
    const isNorth = (s: Signer) => s.district === 'North';
    const isPublic = (s: Signer) => s.origin === 'public';
    const inReview = (s: Signer) => /\d/.test(s.fullName); // digits in a name → needs_review
    const count = (...predicates: Array<(s: Signer) => boolean>) =>
      fixture.filter((s) => predicates.every((p) => p(s))).length;

    beforeAll(async () => {
      petition = await newPetition();
      await addSigners(petition.id, fixture);
      await settle(petition.id, fixture.length);
    });

    it('starts from the expected mix of statuses and sources', async () => {
      const statuses = await statusesByName(petition.id);
      for (const s of fixture) {
        expect([s.fullName, statuses.get(s.fullName)]).toEqual([
          s.fullName,
          inReview(s) ? 'needs_review' : 'verified',
        ]);
      }
      const { rows } = await t.db.query<{ origin: string; sourced: number; n: number }>(
        `SELECT origin, count(source_index)::int AS sourced, count(*)::int AS n
           FROM signatures WHERE petition_id = $1 GROUP BY origin ORDER BY origin`,
        [petition.id],
      );
      expect(rows).toEqual([
        { origin: 'import', sourced: 0, n: count((s) => !isPublic(s)) },
        { origin: 'public', sourced: count(isPublic), n: count(isPublic) },
      ]);
    });

    it('counts what each criterion matches, alone and combined with AND, and changes nothing', async () => {
      const countsBefore = await countsMatchRows(t, petition.id);
      const eventsBefore = await eventCount(petition.id);
      const publicId = await signatureId(petition.id, 'Bot Signer A');

      // emailDomain: exact domain, folded to lower case.
      expect(count(isSpam)).toBe(7);
      expect(await dryRun(petition.id, { emailDomain: spam })).toBe(7);
      expect(await dryRun(petition.id, { emailDomain: 'SPAM-Example.TEST' })).toBe(7);
      expect(await dryRun(petition.id, { emailDomain: 'example.org' })).toBe(
        count((s) => !isSpam(s)),
      );
      expect(await dryRun(petition.id, { emailDomain: 'nowhere.example.test' })).toBe(0);

      // sameSourceAs: every public signature (all from 127.0.0.1), never an imported one.
      expect(await dryRun(petition.id, { sameSourceAs: publicId })).toBe(count(isPublic));
      expect(count(isPublic)).toBe(11);

      // fullNamePattern: case-insensitive, `*` = any run; % and _ are literal.
      expect(await dryRun(petition.id, { fullNamePattern: 'bot signer*' })).toBe(count(isBot));
      expect(count(isBot)).toBe(8);
      expect(await dryRun(petition.id, { fullNamePattern: 'BOT SIGNER a' })).toBe(1);
      expect(await dryRun(petition.id, { fullNamePattern: '*per*cent' })).toBe(2);
      expect(await dryRun(petition.id, { fullNamePattern: 'Lena Per%cent' })).toBe(1);
      expect(await dryRun(petition.id, { fullNamePattern: 'lena per%*' })).toBe(1);
      expect(await dryRun(petition.id, { fullNamePattern: 'Rita Under_score' })).toBe(1);
      expect(await dryRun(petition.id, { fullNamePattern: 'rita under_*' })).toBe(1);
      expect(await dryRun(petition.id, { fullNamePattern: '%' })).toBe(0);
      expect(await dryRun(petition.id, { fullNamePattern: 'Bot Signer' })).toBe(0);

      // district: case-insensitive, exact.
      expect(await dryRun(petition.id, { district: 'nORTH' })).toBe(count(isNorth));
      expect(await dryRun(petition.id, { district: 'south' })).toBe(count((s) => !isNorth(s)));
      expect(await dryRun(petition.id, { district: 'Nort' })).toBe(0);

      // statuses: only the ones named.
      expect(await dryRun(petition.id, { fullNamePattern: '*', statuses: ['needs_review'] })).toBe(
        count(inReview),
      );
      expect(count(inReview)).toBe(2);
      expect(
        await dryRun(petition.id, { fullNamePattern: 'bot signer*', statuses: ['verified'] }),
      ).toBe(count(isBot, (s) => !inReview(s)));
      expect(await dryRun(petition.id, { fullNamePattern: '*', statuses: ['pending'] })).toBe(0);

      // Combined: AND.
      expect(await dryRun(petition.id, { emailDomain: spam, district: 'north' })).toBe(
        count(isSpam, isNorth),
      );
      expect(await dryRun(petition.id, { sameSourceAs: publicId, emailDomain: spam })).toBe(
        count(isPublic, isSpam),
      );
      expect(
        await dryRun(petition.id, {
          sameSourceAs: publicId,
          fullNamePattern: 'bot signer*',
          district: 'South',
          statuses: ['verified', 'needs_review'],
        }),
      ).toBe(count(isPublic, isBot, (s) => !isNorth(s)));
      expect(
        await dryRun(petition.id, {
          emailDomain: spam,
          fullNamePattern: '*',
          statuses: ['needs_review'],
        }),
      ).toBe(count(isSpam, inReview));

      // Nothing changed: counts, statuses, events.
      expect(await eventCount(petition.id)).toEqual(eventsBefore);
      expect(eventsBefore.tagged).toBe(0);
      expect(await countsMatchRows(t, petition.id)).toEqual(countsBefore);
      const statuses = await statusesByName(petition.id);
      expect([...statuses.values()].filter((s) => s === 'rejected')).toEqual([]);
      const { rows } = await t.db.query<{ status: string }>(
        `SELECT DISTINCT status FROM invalidations WHERE petition_id = $1`,
        [petition.id],
      );
      expect(rows).toEqual([{ status: 'preview' }]);
    });

    it('filters by a created_at window: from inclusive, to exclusive', async () => {
      const { rows } = await t.db.query<{ origin: string; ms: string }>(
        `SELECT origin, floor(extract(epoch FROM created_at) * 1000)::bigint::text AS ms
           FROM signatures WHERE petition_id = $1 ORDER BY created_at, id`,
        [petition.id],
      );
      const publicMs = rows.filter((r) => r.origin === 'public').map((r) => Number(r.ms));
      const from = publicMs[2];
      const to = publicMs[6];
      const all = rows.map((r) => Number(r.ms));
      const expected = all.filter((ms) => ms >= from && ms < to).length;
      expect(expected).toBeGreaterThan(0);
      expect(expected).toBeLessThan(all.length);
      const iso = (ms: number) => new Date(ms).toISOString();

      expect(await dryRun(petition.id, { createdFrom: iso(from), createdTo: iso(to) })).toBe(
        expected,
      );
      expect(await dryRun(petition.id, { createdFrom: iso(from) })).toBe(
        all.filter((ms) => ms >= from).length,
      );
      expect(await dryRun(petition.id, { createdTo: iso(to) })).toBe(
        all.filter((ms) => ms < to).length,
      );
      expect(
        await dryRun(petition.id, {
          createdFrom: iso(from),
          createdTo: iso(to),
          district: 'North',
        }),
      ).toBeLessThanOrEqual(expected);
      expect(await dryRun(petition.id, { createdFrom: iso(to), createdTo: iso(to) })).toBe(0);
      expect((await eventCount(petition.id)).tagged).toBe(0);
    });
  });

  // ---------------------------------------------------------------- 2. validation

  it('refuses bad requests: criteria, reason codes, unknown ids, and callers who are not moderators', async () => {
    const petition = await newPetition();
    await signPublic(petition.id, {
      fullName: 'Yana Proverkina',
      email: 'yana.proverkina@example.org',
      district: 'West',
    });
    await settle(petition.id, 1);
    const base = { petitionId: petition.id, reasonCode: 'fraudulent' };

    const bad400 = async (body: Record<string, unknown>) => {
      const res = await create(body);
      expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
      return res.body as { details?: Array<{ field: string }> };
    };
    await bad400({ ...base, criteria: {} });
    await bad400({ ...base, criteria: { statuses: ['verified'] } });
    await bad400({ ...base, criteria: { district: 'West', statuses: ['rejected'] } });
    await bad400({ ...base, criteria: { district: 'West', statuses: ['withdrawn'] } });
    await bad400({ ...base, criteria: { district: 'West', colour: 'red' } });
    await bad400({ ...base, criteria: { district: 'West' }, reasonCode: 'namesake' });
    await bad400({ ...base, criteria: { district: 'West' }, reasonCode: 'no_such_code' });
    await bad400({ ...base, criteria: { district: 'West' }, extra: true });
    await bad400({ ...base, criteria: { sameSourceAs: randomUUID() } });
    await bad400({ ...base, criteria: { createdFrom: 'yesterday' } });

    const unknownPetition = await create({
      ...base,
      petitionId: randomUUID(),
      criteria: { district: 'West' },
    });
    expect([unknownPetition.status, unknownPetition.body.code]).toEqual([404, 'not_found']);

    const byOrganiser = await create({ ...base, criteria: { district: 'West' } }, organiser.auth);
    expect(byOrganiser.status).toBe(403);
    const anonymous = await t
      .http()
      .post('/v1/moderation/invalidations')
      .send({ ...base, criteria: { district: 'West' } });
    expect(anonymous.status).toBe(401);

    await t
      .http()
      .get(`/v1/moderation/invalidations/${randomUUID()}`)
      .set(requester.auth)
      .expect(404);

    // None of it created anything or touched the signature.
    const { rows } = await t.db.query(`SELECT 1 FROM invalidations WHERE petition_id = $1`, [
      petition.id,
    ]);
    expect(rows).toEqual([]);
    expect((await statusesByName(petition.id)).get('Yana Proverkina')).toBe('verified');
  });

  // ---------------------------------------------------------------- 3. below the threshold

  it('runs at once below the threshold and rejects every match, with an event naming the invalidation', async () => {
    const petition = await newPetition();
    const domain = 'burst-example.test';
    const signers: Signer[] = [
      { fullName: 'Kira Nabegova', email: `kira@${domain}`, district: 'East', origin: 'public' },
      { fullName: 'Lev Nabegov', email: `lev@${domain}`, district: 'East', origin: 'public' },
      { fullName: 'Mila Nabegova', email: `mila@${domain}`, district: 'West', origin: 'public' },
      { fullName: 'Nikita Nabegov', email: `nikita@${domain}`, district: 'West', origin: 'public' },
      { fullName: 'Olga 2 Nabegova', email: `olga@${domain}`, district: 'East', origin: 'public' },
      { fullName: 'Pyotr Nabegov', email: `pyotr@${domain}`, district: 'East', origin: 'import' },
      { fullName: 'Raisa Nabegova', email: `raisa@${domain}`, district: 'West', origin: 'import' },
      {
        fullName: 'Semyon 3 Nabegov',
        email: `semyon@${domain}`,
        district: 'East',
        origin: 'import',
      },
      {
        fullName: 'Taisia Chestnova',
        email: 'taisia@example.org',
        district: 'East',
        origin: 'public',
      },
      {
        fullName: 'Ulyana Chestnova',
        email: 'ulyana@example.org',
        district: 'West',
        origin: 'public',
      },
      {
        fullName: 'Fyodor Chestnov',
        email: 'fyodor@example.org',
        district: 'East',
        origin: 'import',
      },
    ];
    await addSigners(petition.id, signers);
    await settle(petition.id, signers.length);
    const before = await statusesByName(petition.id);
    const matching = signers.filter((s) => s.email.endsWith(`@${domain}`));
    expect(matching).toHaveLength(8);
    expect(new Set(matching.map((s) => before.get(s.fullName)))).toEqual(
      new Set(['verified', 'needs_review']),
    );

    const res = await create({
      petitionId: petition.id,
      criteria: { emailDomain: domain },
      reasonCode: 'fraudulent',
      note: 'One spam wave',
    });
    expect(res.status).toBe(201);
    const created = res.body as Invalidation;
    expect(created).toMatchObject({
      status: 'running',
      matched: 8,
      processed: 0,
      requestedBy: requester.id,
      approvedBy: null,
      petitionId: petition.id,
      reasonCode: 'fraudulent',
      note: 'One spam wave',
      finishedAt: null,
    });
    expect(created.criteria).toMatchObject({ emailDomain: domain });

    const done = await finished(created.id);
    expect(done).toMatchObject({ status: 'completed', matched: 8, processed: 8 });
    expect(done.finishedAt).toEqual(expect.any(String));

    const after = await statusesByName(petition.id);
    for (const s of signers) {
      const expected = matching.includes(s) ? 'rejected' : before.get(s.fullName);
      expect([s.fullName, after.get(s.fullName)]).toEqual([s.fullName, expected]);
    }
    const { rows: reasons } = await t.db.query<{ reason_code: string; n: number }>(
      `SELECT reason_code, count(*)::int AS n FROM signatures
        WHERE petition_id = $1 AND status = 'rejected' GROUP BY reason_code`,
      [petition.id],
    );
    expect(reasons).toEqual([{ reason_code: 'fraudulent', n: 8 }]);

    for (const s of matching) {
      const events = await eventsOf(await signatureId(petition.id, s.fullName));
      const tagged = events.filter((e) => e.invalidationId !== null);
      expect(tagged).toHaveLength(1);
      const event = tagged[0];
      expect(event).toMatchObject({
        from: before.get(s.fullName),
        to: 'rejected',
        actor: 'moderator',
        actorId: requester.id,
        reasonCode: 'fraudulent',
        invalidationId: created.id,
      });
      expect(event.note).toContain(created.id);
      expect(event.note).toContain(requester.id);
      expect(event.note).toContain('no second moderator needed');
      expect(event.note).toContain('One spam wave');
      expect(events[events.length - 1]).toEqual(event);
    }
    for (const s of signers.filter((x) => !matching.includes(x))) {
      const events = await eventsOf(await signatureId(petition.id, s.fullName));
      expect(events.filter((e) => e.invalidationId !== null)).toEqual([]);
    }
    expect(await eventsTaggedWith(created.id)).toBe(8);
    const counts = await countsMatchRows(t, petition.id);
    expect(counts.rejected).toBe(8);
  });

  // ---------------------------------------------------------------- 4. above the threshold

  it('waits for a second moderator above the threshold, then rejects every match', async () => {
    const petition = await newPetition();
    const firsts = ['Anna', 'Boris', 'Daria', 'Egor', 'Fedora'];
    const lasts = ['Vostokova', 'Rassvetova', 'Zarina', 'Utrova', 'Solnceva'];
    const east = firsts.flatMap((f) =>
      lasts.map((l) => ({ fullName: `${f} ${l}`, district: 'East' })),
    );
    expect(east).toHaveLength(25);
    await importRows(petition.id, east);
    const west: Signer[] = [
      {
        fullName: 'Gleb Zapadov',
        email: 'gleb.zapadov@example.org',
        district: 'West',
        origin: 'public',
      },
      {
        fullName: 'Inna Zapadova',
        email: 'inna.zapadova@example.org',
        district: 'West',
        origin: 'public',
      },
      {
        fullName: 'Klim Zapadov',
        email: 'klim.zapadov@example.org',
        district: 'West',
        origin: 'public',
      },
    ];
    await addSigners(petition.id, west);
    await settle(petition.id, 28);
    const countsBefore = await countsMatchRows(t, petition.id);
    expect(countsBefore.verified).toBe(28);

    const res = await create({
      petitionId: petition.id,
      criteria: { district: 'east' },
      reasonCode: 'not_eligible',
      note: 'Outside the area',
    });
    expect(res.status).toBe(201);
    const created = res.body as Invalidation;
    expect(created).toMatchObject({ status: 'awaiting_approval', matched: 25, processed: 0 });
    expect(await jobState(created.id)).toBe('unknown'); // no job until approved
    expect(await getInvalidation(created.id)).toMatchObject({
      status: 'awaiting_approval',
      approvedBy: null,
    });
    expect(await countsMatchRows(t, petition.id)).toEqual(countsBefore);
    expect(await eventsTaggedWith(created.id)).toBe(0);

    const selfApproval = await t
      .http()
      .post(`/v1/moderation/invalidations/${created.id}/approve`)
      .set(requester.auth);
    expect([selfApproval.status, selfApproval.body.code]).toEqual([
      403,
      'second_moderator_required',
    ]);
    expect((await getInvalidation(created.id)).status).toBe('awaiting_approval');

    const approved = await t
      .http()
      .post(`/v1/moderation/invalidations/${created.id}/approve`)
      .set(approver.auth)
      .expect(200);
    expect(approved.body).toMatchObject({
      id: created.id,
      status: 'running',
      requestedBy: requester.id,
      approvedBy: approver.id,
    });

    const done = await finished(created.id);
    expect(done).toMatchObject({
      status: 'completed',
      matched: 25,
      processed: 25,
      requestedBy: requester.id,
      approvedBy: approver.id,
    });

    const after = await statusesByName(petition.id);
    for (const s of east)
      expect([s.fullName, after.get(s.fullName)]).toEqual([s.fullName, 'rejected']);
    for (const s of west)
      expect([s.fullName, after.get(s.fullName)]).toEqual([s.fullName, 'verified']);

    for (const s of east) {
      const events = await eventsOf(await signatureId(petition.id, s.fullName));
      const last = events[events.length - 1];
      expect(last).toMatchObject({
        from: 'verified',
        to: 'rejected',
        actor: 'moderator',
        actorId: requester.id,
        reasonCode: 'not_eligible',
        invalidationId: created.id,
      });
      expect(last.note).toContain(created.id);
      expect(last.note).toContain(requester.id);
      expect(last.note).toContain(approver.id);
      expect(last.note).toContain('Outside the area');
      expect(last.note).not.toContain('no second moderator needed');
    }
    expect(await eventsTaggedWith(created.id)).toBe(25);
    const counts = await countsMatchRows(t, petition.id);
    expect(counts).toMatchObject({ verified: 3, rejected: 25 });
  });

  // ---------------------------------------------------------------- 5. cancel and transitions

  it('cancels one awaiting approval, and refuses the moves its state does not allow', async () => {
    const petition = await newPetition();
    const dock = Array.from({ length: 15 }, (_, i) => ({
      fullName: `Dock Signer ${i + 1}`,
      district: 'Dock',
    }));
    await importRows(petition.id, dock);
    await importRows(petition.id, [{ fullName: 'Zhanna Otdelnaya', district: 'Hill' }]);
    await settle(petition.id, 16);
    const countsBefore = await countsMatchRows(t, petition.id);
    const invalidate = (criteria: Record<string, unknown>, dry = false) =>
      create({ petitionId: petition.id, criteria, reasonCode: 'fraudulent', dryRun: dry });
    const approve = (id: string) =>
      t.http().post(`/v1/moderation/invalidations/${id}/approve`).set(approver.auth);
    const cancel = (id: string) =>
      t.http().post(`/v1/moderation/invalidations/${id}/cancel`).set(approver.auth);

    // awaiting_approval → cancelled; then it can be neither approved nor cancelled again.
    const waiting = (await invalidate({ district: 'dock' })).body as Invalidation;
    expect(waiting).toMatchObject({ status: 'awaiting_approval', matched: 15 });
    const cancelled = await cancel(waiting.id).expect(200);
    expect(cancelled.body).toMatchObject({ id: waiting.id, status: 'cancelled', processed: 0 });
    expect(cancelled.body.finishedAt).toEqual(expect.any(String));
    const lateApproval = await approve(waiting.id);
    expect([lateApproval.status, lateApproval.body.code]).toEqual([409, 'invalid_transition']);
    const secondCancel = await cancel(waiting.id);
    expect([secondCancel.status, secondCancel.body.code]).toEqual([409, 'invalid_transition']);
    expect(await getInvalidation(waiting.id)).toMatchObject({ status: 'cancelled', processed: 0 });
    expect(await jobState(waiting.id)).toBe('unknown');
    expect(await eventsTaggedWith(waiting.id)).toBe(0);
    expect(await countsMatchRows(t, petition.id)).toEqual(countsBefore);

    // preview: approving it is not a transition.
    const preview = (await invalidate({ district: 'dock' }, true)).body as Invalidation;
    expect(preview.status).toBe('preview');
    const previewApproval = await approve(preview.id);
    expect([previewApproval.status, previewApproval.body.code]).toEqual([
      409,
      'invalid_transition',
    ]);
    expect((await getInvalidation(preview.id)).status).toBe('preview');

    // completed: neither cancel nor approve.
    const small = (await invalidate({ fullNamePattern: 'zhanna otdelnaya' })).body as Invalidation;
    expect(small).toMatchObject({ status: 'running', matched: 1 });
    expect(await finished(small.id)).toMatchObject({ status: 'completed', processed: 1 });
    const lateCancel = await cancel(small.id);
    expect([lateCancel.status, lateCancel.body.code]).toEqual([409, 'invalid_transition']);
    const completedApproval = await approve(small.id);
    expect([completedApproval.status, completedApproval.body.code]).toEqual([
      409,
      'invalid_transition',
    ]);
    expect((await getInvalidation(small.id)).status).toBe('completed');
    const counts = await countsMatchRows(t, petition.id);
    expect(counts.rejected).toBe(1);
  });

  it('stops a running invalidation that is cancelled, keeping processed equal to what it rejected', async () => {
    const petition = await newPetition();
    const total = 2_500;
    const rows = Array.from({ length: total }, (_, i) => ({
      fullName: `Harbour Signer ${String(i + 1).padStart(4, '0')}`,
      district: 'Harbour',
    }));
    await importRows(petition.id, rows);
    await settle(petition.id, total, 45_000);
    const before = await rowCounts(t, petition.id);
    expect(before.rejected).toBe(0);

    const created = (
      await create({
        petitionId: petition.id,
        criteria: { district: 'HARBOUR' },
        reasonCode: 'fraudulent',
      }).expect(201)
    ).body as Invalidation;
    expect(created).toMatchObject({ status: 'awaiting_approval', matched: total });
    await t
      .http()
      .post(`/v1/moderation/invalidations/${created.id}/approve`)
      .set(approver.auth)
      .expect(200);
    const cancel = await t
      .http()
      .post(`/v1/moderation/invalidations/${created.id}/cancel`)
      .set(approver.auth);

    // Wait for the job itself to end: a cancelled run still finishes its current batch.
    await waitFor(
      'the invalidation job to end',
      async () => ((await jobState(created.id)) === 'completed' ? true : undefined),
      { timeoutMs: 30_000 },
    );
    const final = await getInvalidation(created.id);
    const tagged = await eventsTaggedWith(created.id);
    const { rows: rejected } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1 AND status = 'rejected'`,
      [petition.id],
    );

    if (cancel.status === 200) {
      expect(cancel.body.status).toBe('cancelled');
      expect(final.status).toBe('cancelled');
      expect(final.processed).toBeLessThanOrEqual(total);
    } else {
      // The job finished all 2,500 before the cancel arrived (it was no longer running), so
      // the cancel was refused and the invalidation completed; that is allowed, not a failure.
      expect([cancel.status, cancel.body.code]).toEqual([409, 'invalid_transition']);
      expect(final).toMatchObject({ status: 'completed', processed: total });
    }
    expect(final.finishedAt).toEqual(expect.any(String));
    expect(final.processed).toBe(tagged);
    expect(rejected[0].n).toBe(tagged);
    const counts = await countsMatchRows(t, petition.id);
    expect(counts.rejected).toBe(tagged);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(total);
  });

  // ---------------------------------------------------------------- 6. final statuses are left alone

  it('never touches a signature already rejected or withdrawn', async () => {
    const petition = await newPetition();
    const live = ['Anna Zhivaya', 'Boris Zhivov', 'Daria Zhivova'];
    for (const [i, fullName] of live.entries()) {
      await signPublic(petition.id, { fullName, email: `live.${i}@example.org`, district: 'Lake' });
    }
    const withdrawEmail = 'zoya.otzyvova@example.org';
    await signPublic(petition.id, {
      fullName: 'Zoya Otzyvova',
      email: withdrawEmail,
      district: 'Lake',
    });
    await signPublic(petition.id, {
      fullName: 'Kira www.fake-example',
      email: 'kira.fake@example.org',
      district: 'Lake',
    });
    await signPublic(petition.id, {
      fullName: 'Gleb 7 Testov',
      email: 'gleb.testov@example.org',
      district: 'Lake',
    });
    await settle(petition.id, 6);

    const receipt = await waitFor('the receipt mail', async () => smtp.mailsTo(withdrawEmail)[0]);
    // Found by name while it has one: the withdrawal erases it.
    const zoya = await signatureId(petition.id, 'Zoya Otzyvova');
    await t
      .http()
      .post('/v1/signatures/withdraw')
      .send({ token: tokenFrom(receipt, 'withdraw') })
      .expect(200);
    const gleb = await signatureId(petition.id, 'Gleb 7 Testov');
    await t
      .http()
      .post(`/v1/moderation/signatures/${gleb}/decision`)
      .set(requester.auth)
      .send({ decision: 'reject', reasonCode: 'fraudulent', note: 'Seen before' })
      .expect(200);

    const statuses = await statusesByName(petition.id);
    expect(Object.fromEntries(statuses)).toEqual({
      'Anna Zhivaya': 'verified',
      'Boris Zhivov': 'verified',
      'Daria Zhivova': 'verified',
      null: 'withdrawn', // Zoya Otzyvova, her name erased by the withdrawal
      'Kira www.fake-example': 'rejected',
      'Gleb 7 Testov': 'rejected',
    });
    const untouched = ['Zoya Otzyvova', 'Kira www.fake-example', 'Gleb 7 Testov'];
    const ids = new Map<string, string>([['Zoya Otzyvova', zoya]]);
    const eventsBefore = new Map<string, SignatureEvent[]>();
    for (const name of untouched) {
      const id = ids.get(name) ?? (await signatureId(petition.id, name));
      ids.set(name, id);
      eventsBefore.set(name, await eventsOf(id));
    }
    const { rows: reasonsBefore } = await t.db.query(
      `SELECT full_name, status, reason_code, updated_at FROM signatures
        WHERE petition_id = $1 AND status <> 'verified' ORDER BY full_name`,
      [petition.id],
    );

    expect(await dryRun(petition.id, { district: 'lake' })).toBe(live.length);
    const created = (
      await create({
        petitionId: petition.id,
        criteria: { district: 'lake' },
        reasonCode: 'duplicate',
      }).expect(201)
    ).body as Invalidation;
    expect(created).toMatchObject({ status: 'running', matched: live.length });
    expect(await finished(created.id)).toMatchObject({
      status: 'completed',
      processed: live.length,
    });

    const after = await statusesByName(petition.id);
    for (const name of live) expect(after.get(name)).toBe('rejected');
    for (const name of untouched) {
      expect(await eventsOf(ids.get(name)!)).toEqual(eventsBefore.get(name));
    }
    const { rows: reasonsAfter } = await t.db.query(
      `SELECT full_name, status, reason_code, updated_at FROM signatures
        WHERE petition_id = $1 AND id = ANY($2::uuid[]) ORDER BY full_name`,
      [petition.id, [...ids.values()]],
    );
    expect(reasonsAfter).toEqual(reasonsBefore);
    expect(reasonsAfter.map((r) => [r.full_name, r.status, r.reason_code])).toEqual([
      ['Gleb 7 Testov', 'rejected', 'fraudulent'],
      ['Kira www.fake-example', 'rejected', 'fake_name'],
      [null, 'withdrawn', reasonsBefore[2].reason_code],
    ]);
    expect(await eventsTaggedWith(created.id)).toBe(live.length);
    const counts = await countsMatchRows(t, petition.id);
    expect(counts).toMatchObject({ verified: 0, rejected: 5, withdrawn: 1 });
  });
});
