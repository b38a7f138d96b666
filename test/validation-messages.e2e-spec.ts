import type { Test } from 'supertest';
import { AccountRole } from '../src/accounts/account-role.js';
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

type Detail = { field: string; message: string };

/**
 * What a person reads when a field is wrong: one short message per broken rule, naming the field,
 * and for a missing field only "<field> is required" (not also its type and length rules).
 */
describe('validation messages', () => {
  let t: TestApp;
  let organiser: TestAccount;
  let moderator: TestAccount;
  let petition: PetitionBody;

  beforeAll(async () => {
    t = await startTestApp({ env: { SIGN_MIN_RESPONSE_MS: '0' } });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
    petition = await openPetition(t, organiser, moderator);
  });
  afterAll(async () => {
    await t.close();
  });

  /** The 400's details, after checking the contract's error body. */
  const detailsOf = async (request: Test): Promise<Detail[]> => {
    const res = await request;
    expect({ status: res.status, code: res.body.code }).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    expect(res.body.message).toBe(
      (res.body.details as Detail[]).map((d) => `${d.field}: ${d.message}`).join('; '),
    );
    return res.body.details as Detail[];
  };
  /** The details, sorted by field then message, for bodies with several bad fields. */
  const sorted = (details: Detail[]): Detail[] =>
    [...details].sort(
      (a, b) => a.field.localeCompare(b.field) || a.message.localeCompare(b.message),
    );

  const sign = (body: Record<string, unknown>): Test =>
    t.http().post(`/v1/petitions/${petition.id}/signatures`).send(body);
  const signer = { fullName: 'Anna Testova', email: 'anna.messages@example.org' };

  describe('signing', () => {
    it.each([
      ['missing', {}],
      ['null', { fullName: null }],
      ['empty', { fullName: '' }],
      ['blank', { fullName: '   ' }],
    ])('says only "fullName is required" when fullName is %s', async (_what, fullName) => {
      const body = { email: signer.email, ...fullName };
      expect(await detailsOf(sign(body))).toEqual([
        { field: 'fullName', message: 'fullName is required' },
      ]);
    });

    it('says each missing field is required, once each', async () => {
      expect(sorted(await detailsOf(sign({ email: ' ' })))).toEqual([
        { field: 'email', message: 'email is required' },
        { field: 'fullName', message: 'fullName is required' },
      ]);
    });

    it('says what is wrong with a field that is given', async () => {
      expect(await detailsOf(sign({ ...signer, email: 'anna.example.org' }))).toEqual([
        { field: 'email', message: 'email must be an email address' },
      ]);
      expect(await detailsOf(sign({ ...signer, fullName: 'A'.repeat(201) }))).toEqual([
        { field: 'fullName', message: 'fullName must be at most 200 characters' },
      ]);
      expect(
        sorted(
          await detailsOf(
            sign({
              ...signer,
              district: 'D'.repeat(201),
              title: 'T'.repeat(201),
              comment: 'C'.repeat(1001),
            }),
          ),
        ),
      ).toEqual([
        { field: 'comment', message: 'comment must be at most 1000 characters' },
        { field: 'district', message: 'district must be at most 200 characters' },
        { field: 'title', message: 'title must be at most 200 characters' },
      ]);
      expect(await detailsOf(sign({ ...signer, displayPublicly: 'yes' }))).toEqual([
        { field: 'displayPublicly', message: 'displayPublicly must be true or false' },
      ]);
      expect(await detailsOf(sign({ ...signer, fullName: 42 }))).toEqual([
        { field: 'fullName', message: 'fullName must be a string' },
      ]);
      expect(await detailsOf(sign({ ...signer, phone: '123' }))).toEqual([
        { field: 'phone', message: 'unknown field' },
      ]);
    });

    it('takes fields at their longest', async () => {
      await sign({
        fullName: 'A'.repeat(200),
        // 254 characters, in labels of at most 63.
        email: `anna@${['x'.repeat(60), 'y'.repeat(60), 'z'.repeat(60), 'w'.repeat(62)].join('.')}.org`,
        district: 'D'.repeat(200),
        title: 'T'.repeat(200),
        comment: 'C'.repeat(1000),
      }).expect(202);
    });

    it('says the token is required to the signer endpoints', async () => {
      for (const action of ['confirm', 'withdraw', 'lookup']) {
        for (const body of [{}, { token: '' }, { token: '  ' }]) {
          expect(await detailsOf(t.http().post(`/v1/signatures/${action}`).send(body))).toEqual([
            { field: 'token', message: 'token is required' },
          ]);
        }
      }
    });

    it('words an imported row’s problems the same way', async () => {
      const res = await t
        .http()
        .post(`/v1/petitions/${petition.id}/signatures/import`)
        .set(organiser.auth)
        .send({
          signatures: [
            { email: 'nobody.import@example.org' },
            { fullName: '  ', email: 'blank.import@example.org' },
            { fullName: 'Boris Primerov', email: 'not-an-email' },
          ],
        })
        .expect(202);
      expect(res.body.rejected).toEqual([
        { row: 1, code: 'validation_failed', message: 'fullName: fullName is required' },
        { row: 2, code: 'validation_failed', message: 'fullName: fullName is required' },
        { row: 3, code: 'validation_failed', message: 'email: email must be an email address' },
      ]);
    });
  });

  describe('petitions', () => {
    const create = (body: Record<string, unknown>): Test =>
      t.http().post('/v1/petitions').set(organiser.auth).send(body);

    it('says each missing field is required, once each', async () => {
      expect(sorted(await detailsOf(create({})))).toEqual([
        { field: 'addressee', message: 'addressee is required' },
        { field: 'body', message: 'body is required' },
        { field: 'title', message: 'title is required' },
      ]);
      expect(sorted(await detailsOf(create({ title: ' ', body: '', addressee: null })))).toEqual([
        { field: 'addressee', message: 'addressee is required' },
        { field: 'body', message: 'body is required' },
        { field: 'title', message: 'title is required' },
      ]);
    });

    it('says how long a title may be', async () => {
      expect(await detailsOf(create(petitionInput({ title: 'Tree' })))).toEqual([
        { field: 'title', message: 'title must be at least 5 characters' },
      ]);
      expect(await detailsOf(create(petitionInput({ title: 'T'.repeat(201) })))).toEqual([
        { field: 'title', message: 'title must be at most 200 characters' },
      ]);
      expect(await detailsOf(create(petitionInput({ addressee: 'A'.repeat(201) })))).toEqual([
        { field: 'addressee', message: 'addressee must be at most 200 characters' },
      ]);
      expect(await detailsOf(create(petitionInput({ body: 'B'.repeat(20_001) })))).toEqual([
        { field: 'body', message: 'body must be at most 20000 characters' },
      ]);
    });

    it('words the other rules plainly', async () => {
      expect(
        sorted(
          await detailsOf(
            create(
              petitionInput({
                signatureGoal: 0,
                requireEmailConfirmation: 'no',
                registerId: 'register-1',
              }),
            ),
          ),
        ),
      ).toEqual([
        { field: 'registerId', message: 'registerId must be a UUID' },
        {
          field: 'requireEmailConfirmation',
          message: 'requireEmailConfirmation must be true or false',
        },
        { field: 'signatureGoal', message: 'signatureGoal must be at least 1' },
      ]);
      expect(await detailsOf(create(petitionInput({ signatureGoal: 2.5 })))).toEqual([
        { field: 'signatureGoal', message: 'signatureGoal must be a whole number' },
      ]);
    });

    it('says a required field cannot be emptied by an edit', async () => {
      const draft = await createPetition(t, organiser);
      const edit = (body: Record<string, unknown>): Test =>
        t.http().patch(`/v1/petitions/${draft.id}`).set(organiser.auth).send(body);
      expect(sorted(await detailsOf(edit({ title: '', body: ' ', addressee: null })))).toEqual([
        { field: 'addressee', message: 'addressee is required' },
        { field: 'body', message: 'body is required' },
        { field: 'title', message: 'title is required' },
      ]);
      expect(await detailsOf(edit({ title: 'Tree' }))).toEqual([
        { field: 'title', message: 'title must be at least 5 characters' },
      ]);
    });

    it('says a rejection needs its reason, and a note may not be empty', async () => {
      const draft = await createPetition(t, organiser);
      await t.http().post(`/v1/petitions/${draft.id}/submit`).set(organiser.auth).expect(200);
      const decide = (body: Record<string, unknown>): Test =>
        t
          .http()
          .post(`/v1/moderation/petitions/${draft.id}/decision`)
          .set(moderator.auth)
          .send(body);
      for (const reasonCode of [undefined, null, '', ' ']) {
        expect(await detailsOf(decide({ decision: 'reject', reasonCode }))).toEqual([
          { field: 'reasonCode', message: 'reasonCode is required' },
        ]);
      }
      expect(await detailsOf(decide({}))).toEqual([
        { field: 'decision', message: 'decision is required' },
      ]);
      expect(await detailsOf(decide({ decision: 'approve', note: ' ' }))).toEqual([
        { field: 'note', message: 'note must not be empty' },
      ]);
      expect(await detailsOf(decide({ decision: 'approve', note: 'N'.repeat(2001) }))).toEqual([
        { field: 'note', message: 'note must be at most 2000 characters' },
      ]);
    });
  });

  describe('accounts and registers', () => {
    it('says each missing account field is required, once each', async () => {
      const res = t.http().post('/v1/accounts').set(adminAuth).send({ displayName: ' ' });
      expect(sorted(await detailsOf(res))).toEqual([
        { field: 'displayName', message: 'displayName is required' },
        { field: 'email', message: 'email is required' },
        { field: 'role', message: 'role is required' },
      ]);
      const bad = t
        .http()
        .post('/v1/accounts')
        .set(adminAuth)
        .send({ email: 'nadia', displayName: 'N'.repeat(201), role: 'owner' });
      expect(sorted(await detailsOf(bad))).toEqual([
        { field: 'displayName', message: 'displayName must be at most 200 characters' },
        { field: 'email', message: 'email must be an email address' },
        { field: 'role', message: 'role must be one of organiser, moderator, admin' },
      ]);
    });

    it('says a register needs a name, and an entry a full name', async () => {
      const missing = t.http().post('/v1/registers').set(moderator.auth).send({ name: '' });
      expect(await detailsOf(missing)).toEqual([{ field: 'name', message: 'name is required' }]);
      const created = await t
        .http()
        .post('/v1/registers')
        .set(moderator.auth)
        .send({ name: 'Deputies of Messagetown' })
        .expect(201);
      const res = await t
        .http()
        .put(`/v1/registers/${created.body.id}/entries`)
        .set(moderator.auth)
        .send({ entries: [{ fullName: 'Anna Deputatova' }, { district: 'North' }] })
        .expect(200);
      expect(res.body.rejected).toEqual([
        { row: 2, code: 'validation_failed', message: 'fullName: fullName is required' },
      ]);
    });
  });

  describe('moderation', () => {
    it('says what a claim, a decision and an invalidation are missing', async () => {
      const claim = t.http().post('/v1/moderation/claims').set(moderator.auth).send({});
      expect(await detailsOf(claim)).toEqual([{ field: 'limit', message: 'limit is required' }]);
      const tooMany = t
        .http()
        .post('/v1/moderation/claims')
        .set(moderator.auth)
        .send({ limit: 51 });
      expect(await detailsOf(tooMany)).toEqual([
        { field: 'limit', message: 'limit must be at most 50' },
      ]);

      const decision = t
        .http()
        .post('/v1/moderation/signatures/00000000-0000-4000-8000-00000000abcd/decision')
        .set(moderator.auth)
        .send({ reasonCode: '  ' });
      expect(sorted(await detailsOf(decision))).toEqual([
        { field: 'decision', message: 'decision is required' },
        { field: 'reasonCode', message: 'reasonCode is required' },
      ]);

      const invalidation = t
        .http()
        .post('/v1/moderation/invalidations')
        .set(moderator.auth)
        .send({});
      expect(sorted(await detailsOf(invalidation))).toEqual([
        { field: 'criteria', message: 'criteria is required' },
        { field: 'petitionId', message: 'petitionId is required' },
        { field: 'reasonCode', message: 'reasonCode is required' },
      ]);
      const badCriteria = t
        .http()
        .post('/v1/moderation/invalidations')
        .set(moderator.auth)
        .send({
          petitionId: petition.id,
          reasonCode: 'fraudulent',
          criteria: { district: ' ', statuses: [] },
        });
      expect(sorted(await detailsOf(badCriteria))).toEqual([
        { field: 'criteria.district', message: 'district must not be empty' },
        { field: 'criteria.statuses', message: 'statuses must not be empty' },
      ]);
    });

    it('words the page size the same everywhere', async () => {
      const res = t.http().get('/v1/petitions?limit=0');
      expect(await detailsOf(res)).toEqual([
        { field: 'limit', message: 'limit must be at least 1' },
      ]);
    });
  });
});
