import { AccountRole } from '../src/accounts/account-role.js';
import {
  createAccount,
  openPetition,
  type PetitionBody,
  type TestAccount,
} from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

/** Edges of moderation: what an invalidation may touch, odd criteria, moderators' own verdicts. */
describe('moderation edges', () => {
  let t: TestApp;
  let organiser: TestAccount;
  let requester: TestAccount;
  let approver: TestAccount;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        SOURCE_BURST_LIMIT: '100000',
        SIGN_MIN_RESPONSE_MS: '0',
        INVALIDATION_APPROVAL_THRESHOLD: '2',
      },
    });
    organiser = await createAccount(t, AccountRole.Organiser);
    requester = await createAccount(t, AccountRole.Moderator);
    approver = await createAccount(t, AccountRole.Moderator);
  });
  afterAll(async () => {
    await t.close();
  });

  const sign = (petition: PetitionBody, fullName: string, email: string, district?: string) =>
    t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures`)
      .send({ fullName, email, district })
      .expect(202);
  const settled = (petition: PetitionBody, n: number) =>
    waitFor('every signature decided', async () => {
      const { rows } = await t.db.query(
        `SELECT count(*) FILTER (WHERE status <> 'pending')::int AS done FROM signatures
          WHERE petition_id = $1`,
        [petition.id],
      );
      return rows[0].done === n ? true : undefined;
    });
  const statuses = async (petition: PetitionBody) =>
    (
      await t.db.query(
        `SELECT email_domain, status FROM signatures WHERE petition_id = $1 ORDER BY created_at`,
        [petition.id],
      )
    ).rows as Array<{ email_domain: string; status: string }>;

  it('rejects only what was counted when requested, not signatures that arrive before approval', async () => {
    const petition = await openPetition(t, organiser, requester, {
      requireEmailConfirmation: false,
    });
    for (const name of ['Anna Spamova', 'Boris Spamov', 'Vera Spamova']) {
      await sign(petition, name, `${name.split(' ')[0].toLowerCase()}@spam-edge.test`);
    }
    await settled(petition, 3);
    const created = await t
      .http()
      .post('/v1/moderation/invalidations')
      .set(requester.auth)
      .send({
        petitionId: petition.id,
        criteria: { emailDomain: 'spam-edge.test' },
        reasonCode: 'fraudulent',
      })
      .expect(201);
    expect(created.body).toMatchObject({ status: 'awaiting_approval', matched: 3 });

    await sign(petition, 'Gleb Pozdnov', 'gleb@spam-edge.test');
    await settled(petition, 4);
    await t
      .http()
      .post(`/v1/moderation/invalidations/${created.body.id}/approve`)
      .set(approver.auth)
      .expect(200);
    const done = await waitFor('completed', async () => {
      const r = await t
        .http()
        .get(`/v1/moderation/invalidations/${created.body.id}`)
        .set(requester.auth);
      return r.body.status === 'completed' ? r.body : undefined;
    });
    expect(done).toMatchObject({ matched: 3, processed: 3 });
    expect((await statuses(petition)).map((s) => s.status)).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'verified',
    ]);
  });

  it.each([
    ['no criteria at all', { petitionId: '' }],
    [
      'a date JavaScript takes but PostgreSQL cannot store',
      { createdFrom: '+275760-09-13T00:00:00.000Z' },
    ],
    ['a date without a time zone', { createdFrom: '2026-01-01T00:00:00' }],
    ['a day that does not exist', { createdFrom: '2026-02-30T00:00:00Z' }],
    ['a boolean for a date', { createdFrom: true }],
  ])('answers 400 to %s', async (what, criteria) => {
    const petition = await openPetition(t, organiser, requester);
    const body =
      what === 'no criteria at all'
        ? { petitionId: petition.id, reasonCode: 'fraudulent' }
        : { petitionId: petition.id, criteria, reasonCode: 'fraudulent', dryRun: true };
    const res = await t.http().post('/v1/moderation/invalidations').set(requester.auth).send(body);
    expect({ status: res.status, code: res.body.code }).toEqual({
      status: 400,
      code: 'validation_failed',
    });
  });

  it('leaves a signature a moderator verified off the register alone when the register changes', async () => {
    const register = await t
      .http()
      .post('/v1/registers')
      .set(requester.auth)
      .send({ name: 'Edge register' })
      .expect(201);
    const upload = (entries: Array<{ fullName: string }>) =>
      t
        .http()
        .put(`/v1/registers/${register.body.id}/entries`)
        .set(requester.auth)
        .send({ entries })
        .expect(200);
    await upload([{ fullName: 'Olga Reestrova' }]);
    const petition = await openPetition(t, organiser, requester, {
      requireEmailConfirmation: false,
      registerId: register.body.id,
    });
    await sign(petition, 'Pyotr Vneshniy', 'pyotr@example.org');
    await settled(petition, 1);
    const [row] = (
      await t.db.query(`SELECT id, status FROM signatures WHERE petition_id = $1`, [petition.id])
    ).rows as Array<{ id: string; status: string }>;
    expect(row.status).toBe('needs_review');
    await t
      .http()
      .post(`/v1/moderation/signatures/${row.id}/decision`)
      .set(requester.auth)
      .send({ decision: 'verify', reasonCode: 'eligible_not_on_register' })
      .expect(200);

    await upload([{ fullName: 'Olga Reestrova' }, { fullName: 'Semyon Novy' }]);
    await waitFor('the re-check', async () => {
      const { rows } = await t.db.query(
        `SELECT rechecked_version FROM eligibility_registers WHERE id = $1`,
        [register.body.id],
      );
      return rows[0].rechecked_version === 2 ? true : undefined;
    });
    const after = await t.db.query(`SELECT status FROM signatures WHERE id = $1`, [row.id]);
    expect(after.rows[0].status).toBe('verified');
  });
});
