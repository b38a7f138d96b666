import { AccountRole } from '../src/accounts/account-role.js';
import {
  createAccount,
  openPetition,
  type PetitionBody,
  type TestAccount,
} from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

interface CheckRow {
  name: string;
  outcome: string;
  detail: string;
}

/** Eligibility registers: uploads, versions, and matching signers against them. */
describe('registers', () => {
  let t: TestApp;
  let organiser: TestAccount;
  let moderator: TestAccount;

  beforeAll(async () => {
    t = await startTestApp({ env: { SOURCE_BURST_LIMIT: '100000' } });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
  });
  afterAll(async () => {
    await t.close();
  });

  const createRegister = async (name = 'Deputies of Sampletown'): Promise<string> => {
    const res = await t.http().post('/v1/registers').set(moderator.auth).send({ name }).expect(201);
    expect(res.body).toMatchObject({ name, version: 0, entryCount: 0 });
    return res.body.id as string;
  };

  it('lets only moderators manage registers', async () => {
    await t.http().post('/v1/registers').send({ name: 'X register' }).expect(401);
    await t
      .http()
      .post('/v1/registers')
      .set(organiser.auth)
      .send({ name: 'X register' })
      .expect(403);
    const id = await createRegister();
    await t.http().get(`/v1/registers/${id}`).set(organiser.auth).expect(403);
    await t
      .http()
      .get(`/v1/registers/00000000-0000-4000-8000-00000000abcd`)
      .set(moderator.auth)
      .expect(404);
    await t.http().get(`/v1/registers/not-a-uuid`).set(moderator.auth).expect(404);
  });

  it('replaces entries from CSV as a new version, listing bad rows', async () => {
    const id = await createRegister();
    const csv = [
      'fullName,district,title',
      'Пётр Иванов-Сидоров,Округ 1,Депутат',
      ',Округ 2,',
      '"Smith, Anna",District 3,"Deputy, chair"',
      `${'x'.repeat(201)},Округ 4,`,
    ].join('\n');
    const first = await t
      .http()
      .put(`/v1/registers/${id}/entries`)
      .set(moderator.auth)
      .set('content-type', 'text/csv')
      .send(csv)
      .expect(200);
    expect(first.body.version).toBe(1);
    expect(first.body.imported).toBe(2);
    expect(first.body.rejected.map((r: { row: number }) => r.row)).toEqual([2, 4]);

    const entries = await t
      .http()
      .get(`/v1/registers/${id}/entries?limit=1`)
      .set(moderator.auth)
      .expect(200);
    expect(entries.body.items).toEqual([
      { fullName: 'Пётр Иванов-Сидоров', district: 'Округ 1', title: 'Депутат', email: null },
    ]);
    const next = await t
      .http()
      .get(`/v1/registers/${id}/entries?limit=1&cursor=${entries.body.nextCursor}`)
      .set(moderator.auth)
      .expect(200);
    expect(next.body).toEqual({
      items: [
        { fullName: 'Smith, Anna', district: 'District 3', title: 'Deputy, chair', email: null },
      ],
      nextCursor: null,
    });

    const second = await t
      .http()
      .put(`/v1/registers/${id}/entries`)
      .set(moderator.auth)
      .send({ entries: [{ fullName: 'Olga Primerova' }] })
      .expect(200);
    expect(second.body).toEqual({ version: 2, imported: 1, rejected: [] });
    const register = await t.http().get(`/v1/registers/${id}`).set(moderator.auth).expect(200);
    expect(register.body).toMatchObject({ version: 2, entryCount: 1 });
    const [{ n }] = (
      await t.db.query(`SELECT count(*)::int AS n FROM register_entries WHERE register_id = $1`, [
        id,
      ])
    ).rows;
    expect(n).toBe(1); // old versions are not kept

    await t
      .http()
      .put(`/v1/registers/${id}/entries`)
      .set(moderator.auth)
      .set('content-type', 'text/csv')
      .send('fullName,phone\nA B,+10000000000')
      .expect(400);
  });

  it('takes 50,000 entries in one upload', async () => {
    const id = await createRegister('Large register');
    const lines = ['fullName,district,title'];
    for (let i = 0; i < 50_000; i++) lines.push(`Deputat Nomer${i},District ${i % 120},Deputy`);
    const res = await t
      .http()
      .put(`/v1/registers/${id}/entries`)
      .set(moderator.auth)
      .set('content-type', 'text/csv')
      .send(lines.join('\n'))
      .expect(200);
    expect(res.body).toEqual({ version: 1, imported: 50_000, rejected: [] });
  });

  it('refuses a petition naming a register that does not exist', async () => {
    const res = await t
      .http()
      .post('/v1/petitions')
      .set(organiser.auth)
      .send({
        title: 'Letter with a missing register',
        body: 'Body',
        addressee: 'Council',
        registerId: '00000000-0000-4000-8000-00000000abcd',
      })
      .expect(400);
    expect(res.body.details).toEqual([{ field: 'registerId', message: expect.any(String) }]);
  });

  describe('matching signers', () => {
    let registerId: string;
    // A fresh petition per case, so the duplicate-person check never sees an earlier case's signer.
    const petition = (eligibility: 'review' | 'strict'): Promise<PetitionBody> =>
      openPetition(t, organiser, moderator, {
        registerId,
        requireEmailConfirmation: false,
        eligibility,
      });

    beforeAll(async () => {
      const id = await createRegister('Deputies of two towns');
      await t
        .http()
        .put(`/v1/registers/${id}/entries`)
        .set(moderator.auth)
        .send({
          entries: [
            { fullName: 'Пётр Иванов-Сидоров', district: 'Округ 1' },
            { fullName: 'Алёна Смирнова', district: 'Округ 2' },
            { fullName: 'Мария Кузнецова', district: 'Округ 3' },
            { fullName: 'Николай Фёдоров', district: 'Округ 4' },
          ],
        })
        .expect(200);
      registerId = id;
    });

    const signAndSettle = async (petition: PetitionBody, fullName: string, district?: string) => {
      const email = `${Math.random().toString(36).slice(2)}@example.org`;
      await t
        .http()
        .post(`/v1/petitions/${petition.id}/signatures`)
        .send({ fullName, email, district })
        .expect(202);
      return waitFor(`a decision for ${fullName}`, async () => {
        const { rows } = await t.db.query(
          `SELECT status, reason_code, checks FROM signatures
            WHERE petition_id = $1 AND full_name = $2 AND status <> 'pending'`,
          [petition.id, fullName],
        );
        if (rows.length === 0) return undefined;
        const check = (rows[0].checks as CheckRow[]).find((c) => c.name === 'eligibility_register');
        return { status: rows[0].status as string, reason: rows[0].reason_code, check: check! };
      });
    };

    it.each([
      ['the register spelling', 'Пётр Иванов-Сидоров', 'Округ 1'],
      ['surname first, without ё or hyphen', 'Иванов Сидоров Петр', 'округ 1'],
      ['Latin letters', 'Petr Ivanov-Sidorov', 'Okrug 1'],
      ['Latin, surname first, capitals', 'SMIRNOVA Alena', 'okrug 2'],
    ])('verifies a deputy written in %s', async (_how, name, district) => {
      const result = await signAndSettle(await petition('review'), name, district);
      expect(result.check.outcome).toBe('pass');
      expect(result.status).toBe('verified');
    });

    it('sends a name in another district to review, saying so', async () => {
      const result = await signAndSettle(await petition('review'), 'Мария Кузнецова', 'Округ 1');
      expect(result.status).toBe('needs_review');
      expect(result.check.outcome).toBe('review');
      expect(result.check.detail).toMatch(/another district/);
    });

    it('sends a near miss (a typo) to review with what differed', async () => {
      const result = await signAndSettle(await petition('review'), 'Николай Федорав', 'Округ 4');
      expect(result.status).toBe('needs_review');
      expect(result.check.detail).toMatch(
        /Close to the register entry “Николай Фёдоров”.*1 letter/,
      );
    });

    it('sends someone not on the register to review, or rejects them when strict', async () => {
      const lenient = await signAndSettle(await petition('review'), 'Ivan Postoronniy', 'Округ 9');
      expect(lenient).toMatchObject({ status: 'needs_review', check: { outcome: 'review' } });
      const refused = await signAndSettle(await petition('strict'), 'Ivan Postoronniy', 'Округ 9');
      expect(refused).toMatchObject({
        status: 'rejected',
        reason: 'not_eligible',
        check: { outcome: 'fail' },
      });
    });
  });
});
