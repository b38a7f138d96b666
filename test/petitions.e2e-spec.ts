import type { Response, Test } from 'supertest';
import { AccountRole, BOOTSTRAP_ADMIN_ID } from '../src/accounts/account-role.js';
import {
  adminAuth,
  createAccount,
  createPetition,
  openPetition,
  type PetitionBody,
  petitionInput,
  type TestAccount,
} from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

type Auth = Record<string, string>;

interface EventRow {
  from_status: string;
  to_status: string;
  actor_id: string | null;
  reason_code: string | null;
  note: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ANONYMOUS: Auth = {};
const BAD_TOKEN: Auth = { Authorization: 'Bearer not-a-real-token-0000000000' };

/** The petition lifecycle, who may do what to it, and how petitions are listed. */
describe('petitions', () => {
  let t: TestApp;
  let organiser: TestAccount;
  let otherOrganiser: TestAccount;
  let moderator: TestAccount;

  beforeAll(async () => {
    t = await startTestApp();
    organiser = await createAccount(t, AccountRole.Organiser);
    otherOrganiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
  });
  afterAll(async () => {
    await t.close();
  });

  /** Every error has exactly the contract's four keys, with this status and code. */
  const expectError = (res: Response, statusCode: number, code: string): void => {
    expect({ status: res.status, code: res.body?.code }).toEqual({ status: statusCode, code });
    expect(Object.keys(res.body as object).sort()).toEqual([
      'code',
      'details',
      'message',
      'statusCode',
    ]);
    expect(res.body).toMatchObject({
      statusCode,
      code,
      message: expect.stringMatching(/\S/),
      details: expect.any(Array),
    });
  };

  const fieldsOf = (res: Response): string[] =>
    (res.body.details as { field: string }[]).map((d) => d.field);

  const submit = (id: string, auth: Auth = organiser.auth): Test =>
    t.http().post(`/v1/petitions/${id}/submit`).set(auth);
  const decide = (id: string, body: Record<string, unknown>, auth: Auth = moderator.auth): Test =>
    t.http().post(`/v1/moderation/petitions/${id}/decision`).set(auth).send(body);
  const close = (
    id: string,
    auth: Auth = organiser.auth,
    body: Record<string, unknown> = {},
  ): Test => t.http().post(`/v1/petitions/${id}/close`).set(auth).send(body);
  const patch = (id: string, body: Record<string, unknown>, auth: Auth = organiser.auth): Test =>
    t.http().patch(`/v1/petitions/${id}`).set(auth).send(body);
  const getOne = (idOrSlug: string, auth: Auth = ANONYMOUS): Test =>
    t.http().get(`/v1/petitions/${idOrSlug}`).set(auth);

  const events = async (petitionId: string): Promise<EventRow[]> => {
    const { rows } = await t.db.query<EventRow>(
      `SELECT from_status, to_status, actor_id, reason_code, note
         FROM petition_events WHERE petition_id = $1 ORDER BY id`,
      [petitionId],
    );
    return rows;
  };

  const statusInDb = async (petitionId: string): Promise<string> => {
    const { rows } = await t.db.query<{ status: string }>(
      'SELECT status FROM petitions WHERE id = $1',
      [petitionId],
    );
    return rows[0].status;
  };

  /** Walks a list endpoint through every page; returns the pages as served. */
  const walk = async (
    path: string,
    auth: Auth = ANONYMOUS,
    limit = 100,
  ): Promise<{ items: PetitionBody[]; nextCursor: string | null }[]> => {
    const pages: { items: PetitionBody[]; nextCursor: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = { limit };
      if (cursor) query.cursor = cursor;
      const res = await t.http().get(path).query(query).set(auth).expect(200);
      expect(Object.keys(res.body as object).sort()).toEqual(['items', 'nextCursor']);
      pages.push(res.body);
      cursor = res.body.nextCursor;
      if (pages.length > 500) throw new Error(`pagination of ${path} does not end`);
    } while (cursor !== null);
    return pages;
  };
  const listAll = async (path: string, auth: Auth = ANONYMOUS): Promise<PetitionBody[]> =>
    (await walk(path, auth)).flatMap((page) => page.items);

  const submitted = async (owner: TestAccount = organiser): Promise<PetitionBody> => {
    const petition = await createPetition(t, owner);
    const res = await submit(petition.id, owner.auth).expect(200);
    return res.body as PetitionBody;
  };
  const rejected = async (owner: TestAccount = organiser): Promise<PetitionBody> => {
    const petition = await submitted(owner);
    const res = await decide(petition.id, { decision: 'reject', reasonCode: 'unclear' }).expect(
      200,
    );
    return res.body as PetitionBody;
  };
  const closed = async (owner: TestAccount = organiser): Promise<PetitionBody> => {
    const petition = await openPetition(t, owner, moderator);
    const res = await close(petition.id, owner.auth).expect(200);
    return res.body as PetitionBody;
  };

  describe('lifecycle', () => {
    it('creates a draft with every contract field and a transliterated slug', async () => {
      const before = Date.now();
      const res = await t
        .http()
        .post('/v1/petitions')
        .set(organiser.auth)
        .send({
          title: '  Открытое письмо муниципальных депутатов  ',
          body: '  Просим совет сохранить набережную открытой.  ',
          addressee: ' Городской совет ',
        })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID),
        slug: 'otkrytoe-pismo-municipalnyh-deputatov',
        title: 'Открытое письмо муниципальных депутатов',
        body: 'Просим совет сохранить набережную открытой.',
        addressee: 'Городской совет',
        status: 'draft',
        signatureGoal: null,
        closesAt: null,
        requireEmailConfirmation: true,
        registerId: null,
        eligibility: 'review',
        language: 'en',
        organiserId: organiser.id,
        createdAt: expect.stringMatching(ISO),
        openedAt: null,
        closedAt: null,
        retentionDays: 180,
        retentionEndsAt: null,
        personalDataErasedAt: null,
        counts: expect.objectContaining({ verified: 0, pending: 0 }),
        // Only the create answer has it; with email confirmation (the default) it is empty.
        warnings: [],
      });
      expect(Date.parse(res.body.createdAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(res.body.createdAt)).toBeLessThanOrEqual(Date.now() + 1000);

      const again = await createPetition(t, organiser, {
        title: 'Открытое письмо муниципальных депутатов',
      });
      expect(again.slug).toBe('otkrytoe-pismo-municipalnyh-deputatov-2');
      expect(again.id).not.toBe(res.body.id);

      const latin = await createPetition(t, organiser, { title: 'Save the "Old" Library!' });
      const latinAgain = await createPetition(t, otherOrganiser, {
        title: 'save the old library',
      });
      expect([latin.slug, latinAgain.slug]).toEqual([
        'save-the-old-library',
        'save-the-old-library-2',
      ]);

      // The organiser reads the draft by id and by slug.
      const byId = await getOne(res.body.id, organiser.auth).expect(200);
      const { warnings: _warnings, ...created } = res.body;
      expect(byId.body).toEqual(created);
      const bySlug = await getOne(again.slug, organiser.auth).expect(200);
      expect(bySlug.body.id).toBe(again.id);
    });

    it('gives every petition a slug that reaches it, even one whose title reads like a route', async () => {
      // `/v1/petitions/mine` is a route of its own, so a petition titled "Mine!" must not get the
      // slug `mine`: nobody could open it by its slug.
      const petition = await openPetition(t, organiser, moderator, { title: 'Mine!!' });
      const res = await getOne(petition.slug);
      expect({ status: res.status, id: res.body.id }).toEqual({ status: 200, id: petition.id });
    });

    it('keeps optional settings given at creation', async () => {
      const closesAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
      const petition = await createPetition(t, organiser, {
        signatureGoal: 500,
        closesAt,
        requireEmailConfirmation: false,
        eligibility: 'strict',
      });
      expect(petition).toMatchObject({
        signatureGoal: 500,
        closesAt,
        requireEmailConfirmation: false,
        eligibility: 'strict',
        status: 'draft',
      });
    });

    it('lets the organiser edit a draft, clearing with null, the slug following the title', async () => {
      const closesAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
      const draft = await createPetition(t, organiser, {
        title: 'Light the underpass on Mill Street',
        signatureGoal: 500,
        closesAt,
      });
      expect(draft.slug).toBe('light-the-underpass-on-mill-street');

      const edited = await patch(draft.id, {
        body: '  Please light it before winter.  ',
        addressee: 'The Mayor',
        eligibility: 'strict',
      }).expect(200);
      expect(edited.body).toMatchObject({
        id: draft.id,
        title: 'Light the underpass on Mill Street',
        slug: 'light-the-underpass-on-mill-street',
        body: 'Please light it before winter.',
        addressee: 'The Mayor',
        eligibility: 'strict',
        signatureGoal: 500,
        closesAt,
        status: 'draft',
      });

      const cleared = await patch(draft.id, { signatureGoal: null, closesAt: null }).expect(200);
      expect(cleared.body).toMatchObject({ signatureGoal: null, closesAt: null });
      expect(cleared.body.body).toBe('Please light it before winter.');

      const renamed = await patch(draft.id, { title: '  Light every underpass in town  ' }).expect(
        200,
      );
      expect(renamed.body).toMatchObject({
        title: 'Light every underpass in town',
        slug: 'light-every-underpass-in-town',
      });

      // Stored, not just echoed.
      const stored = await getOne(draft.id, organiser.auth).expect(200);
      expect(stored.body).toMatchObject({
        title: 'Light every underpass in town',
        slug: 'light-every-underpass-in-town',
        body: 'Please light it before winter.',
        addressee: 'The Mayor',
        signatureGoal: null,
        closesAt: null,
        eligibility: 'strict',
      });
      expectError(
        await getOne('light-the-underpass-on-mill-street', organiser.auth),
        404,
        'not_found',
      );
      expect((await getOne('light-every-underpass-in-town', organiser.auth)).body.id).toBe(
        draft.id,
      );

      // A title taken by another petition gets the next free variant.
      const other = await createPetition(t, organiser, { title: 'Plant trees on Quay Road' });
      const clash = await patch(draft.id, { title: 'Plant trees on Quay Road' }).expect(200);
      expect(clash.body.slug).toBe(`${other.slug}-2`);

      // null cannot clear a required field.
      const nullTitle = await patch(draft.id, { title: null });
      expectError(nullTitle, 400, 'validation_failed');
      expect(fieldsOf(nullTitle)).toContain('title');
    });

    it('takes a petition from draft through moderation to open and closed, recording each step', async () => {
      const draft = await createPetition(t, organiser);
      const sub = await submit(draft.id).expect(200);
      expect(sub.body).toMatchObject({ id: draft.id, status: 'submitted', openedAt: null });

      // Moderators see it in their queue, which defaults to submitted petitions.
      const queue = await listAll('/v1/moderation/petitions', moderator.auth);
      expect(queue.map((p) => p.id)).toContain(draft.id);
      expect(new Set(queue.map((p) => p.status))).toEqual(new Set(['submitted']));
      const drafts = await listAll('/v1/moderation/petitions?status=draft', moderator.auth);
      expect(drafts.map((p) => p.id)).not.toContain(draft.id);
      expect(drafts.every((p) => p.status === 'draft')).toBe(true);

      // Not public yet.
      expect((await listAll('/v1/petitions')).map((p) => p.id)).not.toContain(draft.id);

      const beforeApproval = Date.now();
      const approved = await decide(draft.id, { decision: 'approve', note: 'Clear demand' }).expect(
        200,
      );
      expect(approved.body).toMatchObject({ id: draft.id, status: 'open', closedAt: null });
      expect(approved.body.openedAt).toMatch(ISO);
      expect(Date.parse(approved.body.openedAt)).toBeGreaterThanOrEqual(beforeApproval - 1000);
      expect(
        (await listAll('/v1/moderation/petitions', moderator.auth)).map((p) => p.id),
      ).not.toContain(draft.id);

      // Now anyone sees it: in the list, by id and by slug.
      const publicList = await listAll('/v1/petitions');
      expect(publicList.find((p) => p.id === draft.id)).toMatchObject({ status: 'open' });
      const byId = await getOne(draft.id).expect(200);
      expect(byId.body).toMatchObject({ id: draft.id, status: 'open', slug: draft.slug });
      const bySlug = await getOne(draft.slug).expect(200);
      expect(bySlug.body.id).toBe(draft.id);
      const byUpperId = await getOne(draft.id.toUpperCase()).expect(200);
      expect(byUpperId.body.id).toBe(draft.id);

      const closedRes = await close(draft.id, organiser.auth, {
        note: 'Handed to the council',
      }).expect(200);
      expect(closedRes.body).toMatchObject({ id: draft.id, status: 'closed' });
      expect(closedRes.body.closedAt).toMatch(ISO);
      expect(Date.parse(closedRes.body.closedAt)).toBeGreaterThanOrEqual(
        Date.parse(approved.body.openedAt),
      );
      expect(closedRes.body.openedAt).toBe(approved.body.openedAt);

      // Closed petitions stay public.
      expect((await getOne(draft.id).expect(200)).body.status).toBe('closed');
      expect((await listAll('/v1/petitions?status=closed')).map((p) => p.id)).toContain(draft.id);
      expect((await listAll('/v1/petitions?status=open')).map((p) => p.id)).not.toContain(draft.id);

      expect(await events(draft.id)).toEqual([
        {
          from_status: 'draft',
          to_status: 'submitted',
          actor_id: organiser.id,
          reason_code: null,
          note: null,
        },
        {
          from_status: 'submitted',
          to_status: 'open',
          actor_id: moderator.id,
          reason_code: null,
          note: 'Clear demand',
        },
        {
          from_status: 'open',
          to_status: 'closed',
          actor_id: organiser.id,
          reason_code: null,
          note: 'Handed to the council',
        },
      ]);
    });

    it('lets a moderator close an open petition that is not theirs', async () => {
      const petition = await openPetition(t, organiser, moderator);
      const otherModerator = await createAccount(t, AccountRole.Moderator);
      const res = await close(petition.id, otherModerator.auth).expect(200);
      expect(res.body).toMatchObject({ status: 'closed', closedAt: expect.stringMatching(ISO) });
      expect((await events(petition.id)).at(-1)).toEqual({
        from_status: 'open',
        to_status: 'closed',
        actor_id: otherModerator.id,
        reason_code: null,
        note: null,
      });
    });

    it('rejects with a reason code, and refuses a rejection without one', async () => {
      const petition = await submitted();

      const noReason = await decide(petition.id, { decision: 'reject' });
      expectError(noReason, 400, 'validation_failed');
      expect(fieldsOf(noReason)).toEqual(['reasonCode']);
      const badReason = await decide(petition.id, { decision: 'reject', reasonCode: 'dislike' });
      expectError(badReason, 400, 'validation_failed');
      expect(fieldsOf(badReason)).toEqual(['reasonCode']);
      const badDecision = await decide(petition.id, { decision: 'maybe' });
      expectError(badDecision, 400, 'validation_failed');
      expect(fieldsOf(badDecision)).toContain('decision');
      const unknown = await decide(petition.id, { decision: 'approve', urgent: true });
      expectError(unknown, 400, 'validation_failed');
      expect(fieldsOf(unknown)).toEqual(['urgent']);
      expect(await statusInDb(petition.id)).toBe('submitted');
      expect(await events(petition.id)).toHaveLength(1);

      const res = await decide(petition.id, {
        decision: 'reject',
        reasonCode: 'spam',
        note: ' Advertises a shop ',
      }).expect(200);
      expect(res.body).toMatchObject({
        id: petition.id,
        status: 'rejected',
        openedAt: null,
        closedAt: null,
      });
      expect((await events(petition.id)).at(-1)).toEqual({
        from_status: 'submitted',
        to_status: 'rejected',
        actor_id: moderator.id,
        reason_code: 'spam',
        note: 'Advertises a shop',
      });

      // Rejected petitions are not public, but their organiser and moderators still see them.
      expectError(await getOne(petition.id), 404, 'not_found');
      expectError(await getOne(petition.slug), 404, 'not_found');
      expect((await getOne(petition.id, organiser.auth).expect(200)).body.status).toBe('rejected');
      expect((await getOne(petition.id, moderator.auth).expect(200)).body.status).toBe('rejected');
      expect((await listAll('/v1/petitions')).map((p) => p.id)).not.toContain(petition.id);
      const rejectedList = await listAll(
        '/v1/moderation/petitions?status=rejected',
        moderator.auth,
      );
      expect(rejectedList.map((p) => p.id)).toContain(petition.id);
    });

    it('takes every petition reason code that GET /v1/moderation/reason-codes lists, and no other', async () => {
      const listed = await t.http().get('/v1/moderation/reason-codes').set(moderator.auth);
      const codes = (listed.body.petitionItems as { code: string }[]).map((item) => item.code);
      expect(codes).toEqual(
        expect.arrayContaining(['spam', 'duplicate_petition', 'unlawful', 'other']),
      );
      for (const reasonCode of codes) {
        const petition = await submitted();
        const res = await decide(petition.id, { decision: 'reject', reasonCode }).expect(200);
        expect(res.body.status).toBe('rejected');
        expect((await events(petition.id)).at(-1)?.reason_code).toBe(reasonCode);
      }

      // A signature code is not a petition code: refused like any unknown one, naming the list.
      const petition = await submitted();
      for (const reasonCode of ['fraudulent', 'dislike']) {
        const res = await decide(petition.id, { decision: 'reject', reasonCode });
        expectError(res, 400, 'validation_failed');
        expect(res.body.details).toEqual([
          { field: 'reasonCode', message: `reasonCode must be one of ${codes.join(', ')}` },
        ]);
      }
      expect(await statusInDb(petition.id)).toBe('submitted');
    });
  });

  describe('illegal transitions', () => {
    const ALL_ACTIONS = ['submit', 'approve', 'reject', 'closeByOrganiser', 'closeByModerator'];
    const act = (action: string, id: string): Test => {
      switch (action) {
        case 'submit':
          return submit(id);
        case 'approve':
          return decide(id, { decision: 'approve' });
        case 'reject':
          return decide(id, { decision: 'reject', reasonCode: 'other' });
        case 'closeByOrganiser':
          return close(id, organiser.auth);
        case 'closeByModerator':
          return close(id, moderator.auth);
        default:
          throw new Error(action);
      }
    };

    it.each([
      ['draft', ['approve', 'reject', 'closeByOrganiser', 'closeByModerator']],
      ['submitted', ['submit', 'closeByOrganiser', 'closeByModerator']],
      ['open', ['submit', 'approve', 'reject']],
      ['rejected', ALL_ACTIONS],
      ['closed', ALL_ACTIONS],
    ])(
      'refuses, from %s, %j with 409 invalid_transition and changes nothing',
      async (status, actions) => {
        const make: Record<string, () => Promise<PetitionBody>> = {
          draft: () => createPetition(t, organiser),
          submitted: () => submitted(),
          open: () => openPetition(t, organiser, moderator),
          rejected: () => rejected(),
          closed: () => closed(),
        };
        const petition = await make[status]();
        expect(petition.status).toBe(status);
        const trail = await events(petition.id);
        for (const action of actions) {
          const res = await act(action, petition.id);
          expectError(res, 409, 'invalid_transition');
        }
        expect(await statusInDb(petition.id)).toBe(status);
        expect(await events(petition.id)).toEqual(trail);
      },
    );

    it('refuses to submit twice', async () => {
      const draft = await createPetition(t, organiser);
      await submit(draft.id).expect(200);
      expectError(await submit(draft.id), 409, 'invalid_transition');
      expect(await events(draft.id)).toHaveLength(1);
    });

    it.each(['submitted', 'open', 'rejected', 'closed'])(
      'refuses to edit a %s petition with 409 petition_not_editable',
      async (status) => {
        const make: Record<string, () => Promise<PetitionBody>> = {
          submitted: () => submitted(),
          open: () => openPetition(t, organiser, moderator),
          rejected: () => rejected(),
          closed: () => closed(),
        };
        const petition = await make[status]();
        const res = await patch(petition.id, { addressee: 'Someone else entirely' });
        expectError(res, 409, 'petition_not_editable');
        const admin = await patch(petition.id, { addressee: 'Someone else entirely' }, adminAuth);
        expectError(admin, 409, 'petition_not_editable');
        const stored = await getOne(petition.id, organiser.auth).expect(200);
        expect(stored.body.addressee).toBe(petition.addressee);
      },
    );

    it('refuses to approve a petition whose closing time has passed', async () => {
      const petition = await createPetition(t, organiser, {
        closesAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      await submit(petition.id).expect(200);
      await t.db.query(
        `UPDATE petitions SET closes_at = now() - interval '1 minute' WHERE id = $1`,
        [petition.id],
      );
      expectError(await decide(petition.id, { decision: 'approve' }), 409, 'invalid_transition');
      expect(await statusInDb(petition.id)).toBe('submitted');
      expect(await events(petition.id)).toHaveLength(1);
    });

    it('lets exactly one of two concurrent decisions win', async () => {
      const petition = await submitted();
      const responses = await Promise.all([
        decide(petition.id, { decision: 'approve' }),
        decide(petition.id, { decision: 'reject', reasonCode: 'spam' }),
      ]);
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
      const loser = responses.find((r) => r.status === 409)!;
      expectError(loser, 409, 'invalid_transition');
      const winner = responses.find((r) => r.status === 200)!;
      expect(await statusInDb(petition.id)).toBe(winner.body.status);
      const decisions = (await events(petition.id)).filter((e) => e.from_status === 'submitted');
      expect(decisions).toHaveLength(1);
      expect(decisions[0].to_status).toBe(winner.body.status);
    });
  });

  describe('roles', () => {
    const endpoints: [string, (id: string, auth: Auth) => Test][] = [
      [
        'POST /v1/petitions',
        (_id, auth) => t.http().post('/v1/petitions').set(auth).send(petitionInput()),
      ],
      ['PATCH /v1/petitions/:id', (id, auth) => patch(id, { addressee: 'The Mayor' }, auth)],
      ['POST /v1/petitions/:id/submit', (id, auth) => submit(id, auth)],
      ['POST /v1/petitions/:id/close', (id, auth) => close(id, auth)],
      ['GET /v1/petitions/mine', (_id, auth) => t.http().get('/v1/petitions/mine').set(auth)],
      [
        'GET /v1/moderation/petitions',
        (_id, auth) => t.http().get('/v1/moderation/petitions').set(auth),
      ],
      [
        'POST /v1/moderation/petitions/:id/decision',
        (id, auth) => decide(id, { decision: 'approve' }, auth),
      ],
    ];

    it.each(endpoints)('%s needs a token: none or a bad one is 401', async (_name, call) => {
      const draft = await createPetition(t, organiser);
      expectError(await call(draft.id, ANONYMOUS), 401, 'unauthorized');
      expectError(await call(draft.id, BAD_TOKEN), 401, 'unauthorized');
      expectError(await call(draft.id, { Authorization: 'Basic b3JnOnB3' }), 401, 'unauthorized');
      expect(await statusInDb(draft.id)).toBe('draft');
    });

    it('refuses a bad token even on the public reads', async () => {
      const open = await openPetition(t, organiser, moderator);
      expectError(await getOne(open.id, BAD_TOKEN), 401, 'unauthorized');
      expectError(await t.http().get('/v1/petitions').set(BAD_TOKEN), 401, 'unauthorized');
      // Without a token they are public.
      await getOne(open.id).expect(200);
      await t.http().get('/v1/petitions').expect(200);
    });

    it('answers 403 forbidden to the wrong role', async () => {
      const draft = await createPetition(t, organiser);
      const sub = await submitted();

      const moderatorCreates = await t
        .http()
        .post('/v1/petitions')
        .set(moderator.auth)
        .send(petitionInput());
      expectError(moderatorCreates, 403, 'forbidden');
      // The message names every role allowed, admin included (admin may do everything).
      expect(moderatorCreates.body.message).toBe('This endpoint is for: organiser or admin');
      expectError(await t.http().get('/v1/petitions/mine').set(moderator.auth), 403, 'forbidden');
      const organiserModerates = await t.http().get('/v1/moderation/petitions').set(organiser.auth);
      expectError(organiserModerates, 403, 'forbidden');
      expect(organiserModerates.body.message).toBe('This endpoint is for: moderator or admin');
      // Not even on their own petition may an organiser decide.
      expectError(await decide(sub.id, { decision: 'approve' }, organiser.auth), 403, 'forbidden');
      expectError(
        await decide(sub.id, { decision: 'reject', reasonCode: 'spam' }, otherOrganiser.auth),
        403,
        'forbidden',
      );
      // Moderators see drafts but may not edit or submit them for the organiser.
      const moderatorEdits = await patch(draft.id, { addressee: 'The Mayor' }, moderator.auth);
      expectError(moderatorEdits, 403, 'forbidden');
      expect(moderatorEdits.body.message).toBe(
        'Only the petition’s organiser or an admin may do this',
      );
      expectError(await submit(draft.id, moderator.auth), 403, 'forbidden');

      expect(await statusInDb(draft.id)).toBe('draft');
      expect(await statusInDb(sub.id)).toBe('submitted');
      expect((await getOne(draft.id, organiser.auth)).body.addressee).toBe(draft.addressee);
    });

    it('hides another organiser’s unpublished petitions behind 404, never 403', async () => {
      const draft = await createPetition(t, organiser);
      const sub = await submitted();
      const rej = await rejected();
      const missing = await getOne('00000000-0000-4000-8000-00000000dead', otherOrganiser.auth);
      expectError(missing, 404, 'not_found');

      for (const res of [
        await getOne(draft.id, otherOrganiser.auth),
        await getOne(draft.slug, otherOrganiser.auth),
        await patch(draft.id, { addressee: 'The Mayor' }, otherOrganiser.auth),
        await submit(draft.id, otherOrganiser.auth),
        await close(draft.id, otherOrganiser.auth),
        await getOne(sub.id, otherOrganiser.auth),
        await close(sub.id, otherOrganiser.auth),
        await getOne(rej.id, otherOrganiser.auth),
      ]) {
        expectError(res, 404, 'not_found');
        // Indistinguishable from a petition that does not exist.
        expect(res.body.message).toBe(missing.body.message);
      }
      expect(await statusInDb(draft.id)).toBe('draft');

      for (const petition of [draft, sub, rej]) {
        expectError(await getOne(petition.id), 404, 'not_found');
        expectError(await getOne(petition.slug), 404, 'not_found');
      }
      const theirs = await listAll('/v1/petitions/mine', otherOrganiser.auth);
      expect(theirs.map((p) => p.id)).not.toContain(draft.id);
    });

    it('answers 404 to a decision on a petition that does not exist', async () => {
      expectError(
        await decide('00000000-0000-4000-8000-00000000beef', { decision: 'approve' }),
        404,
        'not_found',
      );
      expectError(await decide('not-a-uuid', { decision: 'approve' }), 404, 'not_found');
      expectError(await submit('no-such-petition-slug'), 404, 'not_found');
    });

    it('answers 403 to another organiser acting on an open petition they can see', async () => {
      const open = await openPetition(t, organiser, moderator);
      expect((await getOne(open.id, otherOrganiser.auth).expect(200)).body.id).toBe(open.id);
      expectError(
        await patch(open.id, { addressee: 'The Mayor' }, otherOrganiser.auth),
        403,
        'forbidden',
      );
      const otherCloses = await close(open.id, otherOrganiser.auth);
      expectError(otherCloses, 403, 'forbidden');
      expect(otherCloses.body.message).toBe(
        'Only the petition’s organiser, a moderator or an admin may do this',
      );
      expectError(await submit(open.id, otherOrganiser.auth), 403, 'forbidden');
      expect(await statusInDb(open.id)).toBe('open');
    });

    it('lets moderators read drafts and submitted petitions', async () => {
      const draft = await createPetition(t, organiser);
      const sub = await submitted();
      expect((await getOne(draft.id, moderator.auth).expect(200)).body).toMatchObject({
        id: draft.id,
        status: 'draft',
      });
      expect((await getOne(draft.slug, moderator.auth).expect(200)).body.id).toBe(draft.id);
      expect((await getOne(sub.id, moderator.auth).expect(200)).body.status).toBe('submitted');
      const drafts = await listAll('/v1/moderation/petitions?status=draft', moderator.auth);
      expect(drafts.map((p) => p.id)).toContain(draft.id);
    });

    it('lets the admin do everything', async () => {
      const me = await t.http().get('/v1/me').set(adminAuth).expect(200);
      expect(me.body.id).toBe(BOOTSTRAP_ADMIN_ID);

      const own = await createPetition(t, { ...organiser, auth: adminAuth });
      expect(own).toMatchObject({ status: 'draft', organiserId: BOOTSTRAP_ADMIN_ID });
      const mine = await listAll('/v1/petitions/mine', adminAuth);
      expect(mine.map((p) => p.id)).toEqual([own.id]);

      // Someone else's draft: read, edit, submit, approve, close.
      const draft = await createPetition(t, organiser);
      expect((await getOne(draft.id, adminAuth).expect(200)).body.id).toBe(draft.id);
      const edited = await patch(
        draft.id,
        { addressee: 'The Regional Assembly' },
        adminAuth,
      ).expect(200);
      expect(edited.body).toMatchObject({
        addressee: 'The Regional Assembly',
        organiserId: organiser.id,
      });
      await submit(draft.id, adminAuth).expect(200);
      const queue = await listAll('/v1/moderation/petitions', adminAuth);
      expect(queue.map((p) => p.id)).toContain(draft.id);
      expect(
        (await decide(draft.id, { decision: 'approve' }, adminAuth).expect(200)).body.status,
      ).toBe('open');
      expect((await close(draft.id, adminAuth).expect(200)).body.status).toBe('closed');
      expect((await events(draft.id)).map((e) => e.actor_id)).toEqual([
        BOOTSTRAP_ADMIN_ID,
        BOOTSTRAP_ADMIN_ID,
        BOOTSTRAP_ADMIN_ID,
      ]);

      // And reject.
      await submit(own.id, adminAuth).expect(200);
      const rej = await decide(
        own.id,
        { decision: 'reject', reasonCode: 'duplicate_petition' },
        adminAuth,
      ).expect(200);
      expect(rej.body.status).toBe('rejected');
    });

    it('lists on /mine only the caller’s petitions, of every status, newest first', async () => {
      const alice = await createAccount(t, AccountRole.Organiser);
      const bob = await createAccount(t, AccountRole.Organiser);
      const mineInOrder = [
        await createPetition(t, alice),
        await submitted(alice),
        await openPetition(t, alice, moderator),
        await rejected(alice),
        await closed(alice),
      ];
      const bobs = await createPetition(t, bob);

      const aliceList = await listAll('/v1/petitions/mine', alice.auth);
      expect(aliceList.map((p) => p.id)).toEqual(mineInOrder.map((p) => p.id).reverse());
      expect(aliceList.map((p) => p.status)).toEqual([
        'closed',
        'rejected',
        'open',
        'submitted',
        'draft',
      ]);
      expect(aliceList.every((p) => p.organiserId === alice.id)).toBe(true);

      const bobList = await listAll('/v1/petitions/mine', bob.auth);
      expect(bobList.map((p) => p.id)).toEqual([bobs.id]);

      const onlyOpen = await listAll('/v1/petitions/mine?status=open', alice.auth);
      expect(onlyOpen.map((p) => p.id)).toEqual([mineInOrder[2].id]);
      const badStatus = await t.http().get('/v1/petitions/mine?status=archived').set(alice.auth);
      expectError(badStatus, 400, 'validation_failed');
      expect(fieldsOf(badStatus)).toEqual(['status']);
    });
  });

  describe('listing', () => {
    it('walks the public list newest first through nextCursor, without duplicates', async () => {
      const lister = await createAccount(t, AccountRole.Organiser);
      const five: PetitionBody[] = [];
      for (let i = 0; i < 5; i++) five.push(await openPetition(t, lister, moderator));
      const newestFirst = five.map((p) => p.id).reverse();

      const pages = await walk('/v1/petitions', ANONYMOUS, 2);
      // The five are the newest petitions of all.
      expect(pages[0].items.map((p) => p.id)).toEqual(newestFirst.slice(0, 2));
      expect(pages[1].items.map((p) => p.id)).toEqual(newestFirst.slice(2, 4));
      expect(pages[2].items[0].id).toBe(newestFirst[4]);

      for (const page of pages.slice(0, -1)) {
        expect(page.items).toHaveLength(2);
        expect(page.nextCursor).toEqual(expect.any(String));
      }
      expect(pages.at(-1)!.nextCursor).toBeNull();
      expect(pages.at(-1)!.items.length).toBeGreaterThanOrEqual(1);

      const items = pages.flatMap((page) => page.items);
      const ids = items.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      const times = items.map((p) => Date.parse(p.createdAt as string));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(new Set(items.map((p) => p.status))).toEqual(new Set(['open', 'closed']));

      // Every public petition, and only those.
      const { rows } = await t.db.query<{ id: string }>(
        `SELECT id FROM petitions WHERE status IN ('open', 'closed')`,
      );
      expect([...ids].sort()).toEqual(rows.map((r) => r.id).sort());

      // A bigger page gives the same order.
      const onePage = await t.http().get('/v1/petitions').query({ limit: 100 }).expect(200);
      expect(onePage.body.items.map((p: PetitionBody) => p.id)).toEqual(ids.slice(0, 100));
    });

    it('does not skip petitions created within the same millisecond', async () => {
      // Concurrent requests can create petitions less than a millisecond apart. A page boundary
      // between them must lose none, however they were stamped.
      const owner = await createAccount(t, AccountRole.Organiser);
      const petitions = [
        await createPetition(t, owner),
        await createPetition(t, owner),
        await createPetition(t, owner),
      ];
      const stamps = ['.123100', '.123200', '.123300'];
      for (const [i, petition] of petitions.entries()) {
        await t.db.query(`UPDATE petitions SET created_at = $1 WHERE id = $2`, [
          `2030-01-02T03:04:05${stamps[i]}Z`,
          petition.id,
        ]);
      }
      const walked = (await walk('/v1/petitions/mine', owner.auth, 1)).flatMap((p) => p.items);
      // Times are kept to the millisecond, so these three tie and their ids decide the order
      // (newest first means created_at, then id, descending).
      const { rows } = await t.db.query<{ created_at: Date }>(
        `SELECT DISTINCT created_at FROM petitions WHERE organiser_id = $1`,
        [owner.id],
      );
      expect(rows).toHaveLength(1);
      expect(walked.map((p) => p.id)).toEqual(
        petitions
          .map((p) => p.id)
          .sort()
          .reverse(),
      );
    });

    it('filters by status', async () => {
      const open = await openPetition(t, organiser, moderator);
      const done = await closed();
      const onlyOpen = await listAll('/v1/petitions?status=open');
      expect(onlyOpen.map((p) => p.id)).toContain(open.id);
      expect(onlyOpen.map((p) => p.id)).not.toContain(done.id);
      expect(new Set(onlyOpen.map((p) => p.status))).toEqual(new Set(['open']));
      const onlyClosed = await listAll('/v1/petitions?status=closed');
      expect(onlyClosed.map((p) => p.id)).toContain(done.id);
      expect(onlyClosed.map((p) => p.id)).not.toContain(open.id);
      expect(new Set(onlyClosed.map((p) => p.status))).toEqual(new Set(['closed']));
      const both = await listAll('/v1/petitions');
      expect(both.map((p) => p.id)).toEqual(expect.arrayContaining([open.id, done.id]));
    });

    it.each([
      ['status=draft', 'status'],
      ['status=submitted', 'status'],
      ['status=everything', 'status'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=2.5', 'limit'],
      ['limit=ten', 'limit'],
    ])('refuses ?%s with 400 naming %s', async (query, field) => {
      const res = await t.http().get(`/v1/petitions?${query}`);
      expectError(res, 400, 'validation_failed');
      expect(fieldsOf(res)).toContain(field);
    });

    it('accepts the limits 1 and 100, and defaults to 20', async () => {
      const one = await t.http().get('/v1/petitions?limit=1').expect(200);
      expect(one.body.items).toHaveLength(1);
      await t.http().get('/v1/petitions?limit=100').expect(200);
      const total = (await listAll('/v1/petitions')).length;
      const byDefault = await t.http().get('/v1/petitions').expect(200);
      expect(byDefault.body.items).toHaveLength(Math.min(20, total));
      expect(byDefault.body.nextCursor === null).toBe(total <= 20);
    });

    it.each([
      ['garbage', 'not-a-cursor!!'],
      ['base64 of something else', Buffer.from('hello world').toString('base64url')],
      [
        'a cursor with a bad date',
        Buffer.from('["yesterday","00000000-0000-4000-8000-000000000001"]').toString('base64url'),
      ],
      [
        'a cursor with a bad id',
        Buffer.from('["2030-01-01T00:00:00.000Z","1; DROP TABLE"]').toString('base64url'),
      ],
    ])('refuses %s as a cursor with 400 invalid_cursor', async (_name, cursor) => {
      expectError(await t.http().get('/v1/petitions').query({ cursor }), 400, 'invalid_cursor');
      expectError(
        await t.http().get('/v1/petitions/mine').query({ cursor }).set(organiser.auth),
        400,
        'invalid_cursor',
      );
      expectError(
        await t.http().get('/v1/moderation/petitions').query({ cursor }).set(moderator.auth),
        400,
        'invalid_cursor',
      );
    });
  });

  describe('validation', () => {
    const create = (body: Record<string, unknown>, auth: Auth = organiser.auth): Test =>
      t.http().post('/v1/petitions').set(auth).send(body);

    it('refuses a title shorter than 5 characters once trimmed', async () => {
      const res = await create(petitionInput({ title: '   Tree   ' }));
      expectError(res, 400, 'validation_failed');
      expect(fieldsOf(res)).toEqual(['title']);
      const ok = await create(petitionInput({ title: '   Trees   ' })).expect(201);
      expect(ok.body.title).toBe('Trees');
    });

    it('refuses a closing time in the past', async () => {
      const res = await create(
        petitionInput({ closesAt: new Date(Date.now() - 60_000).toISOString() }),
      );
      expectError(res, 400, 'validation_failed');
      expect(fieldsOf(res)).toEqual(['closesAt']);
      const draft = await createPetition(t, organiser);
      const edit = await patch(draft.id, { closesAt: '2001-01-01T00:00:00Z' });
      expectError(edit, 400, 'validation_failed');
      expect(fieldsOf(edit)).toEqual(['closesAt']);
    });

    it('refuses unknown fields and names them', async () => {
      const res = await create(petitionInput({ colour: 'green' }));
      expectError(res, 400, 'validation_failed');
      expect(res.body.details).toEqual([{ field: 'colour', message: expect.any(String) }]);
      const draft = await createPetition(t, organiser);
      const edit = await patch(draft.id, { status: 'open' });
      expectError(edit, 400, 'validation_failed');
      expect(fieldsOf(edit)).toEqual(['status']);
      expect(await statusInDb(draft.id)).toBe('draft');
      const closeRes = await close(draft.id, organiser.auth, { force: true });
      expectError(closeRes, 400, 'validation_failed');
      expect(fieldsOf(closeRes)).toEqual(['force']);
    });

    it('names every bad field at once', async () => {
      const res = await create({
        title: ' ',
        body: '',
        addressee: 'x'.repeat(201),
        signatureGoal: 0,
        closesAt: 'next tuesday',
        requireEmailConfirmation: 'yes',
        registerId: 'register-1',
        eligibility: 'lenient',
        extra: 1,
      });
      expectError(res, 400, 'validation_failed');
      expect([...new Set(fieldsOf(res))].sort()).toEqual([
        'addressee',
        'body',
        'closesAt',
        'eligibility',
        'extra',
        'registerId',
        'requireEmailConfirmation',
        'signatureGoal',
        'title',
      ]);
      for (const detail of res.body.details as { field: string; message: string }[]) {
        expect(Object.keys(detail).sort()).toEqual(['field', 'message']);
        expect(detail.message).toMatch(/\S/);
      }
      const missing = await create({});
      expectError(missing, 400, 'validation_failed');
      expect(fieldsOf(missing)).toEqual(expect.arrayContaining(['title', 'body', 'addressee']));
    });
  });

  describe('automatic closing', () => {
    it('closes an open petition once closesAt passes, as the system', async () => {
      const closesAt = new Date(Date.now() + 3_000);
      const petition = await openPetition(t, organiser, moderator, {
        closesAt: closesAt.toISOString(),
      });
      expect(petition.status).toBe('open');

      const done = await waitFor(
        'the petition to close by itself',
        async () => {
          const res = await getOne(petition.id).expect(200);
          return res.body.status === 'closed' ? (res.body as PetitionBody) : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      expect(done.closedAt).toMatch(ISO);
      expect(Date.parse(done.closedAt as string)).toBeGreaterThanOrEqual(closesAt.getTime());
      expect((await events(petition.id)).at(-1)).toEqual({
        from_status: 'open',
        to_status: 'closed',
        actor_id: null,
        reason_code: 'closes_at_passed',
        note: null,
      });
      expectError(await close(petition.id), 409, 'invalid_transition');
    }, 45_000);
  });
});
