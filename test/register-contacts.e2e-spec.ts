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

/**
 * Register contacts (issue 13 items 1 and 7, issue 14 item 2): entries with an email vouch only
 * for that address; districts match across Cyrillic and Latin spellings, are stored as the
 * register writes them, and are counted under the register's districts.
 */
describe('register contacts and districts', () => {
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

  const createRegister = async (entries: Array<Record<string, string>>): Promise<string> => {
    const res = await t
      .http()
      .post('/v1/registers')
      .set(moderator.auth)
      .send({ name: 'Deputies of Sampletown' })
      .expect(201);
    const id = res.body.id as string;
    await upload(id, entries);
    return id;
  };
  const upload = async (id: string, entries: Array<Record<string, string>>) =>
    t.http().put(`/v1/registers/${id}/entries`).set(moderator.auth).send({ entries }).expect(200);

  const petition = (registerId: string): Promise<PetitionBody> =>
    openPetition(t, organiser, moderator, { registerId, requireEmailConfirmation: false });

  const sign = async (p: PetitionBody, body: Record<string, unknown>) =>
    t.http().post(`/v1/petitions/${p.id}/signatures`).send(body).expect(202);

  const settled = async (p: PetitionBody, fullName: string) =>
    waitFor(`a decision for ${fullName}`, async () => {
      const { rows } = await t.db.query(
        `SELECT status, district, district_key, checks FROM signatures
          WHERE petition_id = $1 AND full_name = $2 AND status <> 'pending'`,
        [p.id, fullName],
      );
      if (rows.length === 0) return undefined;
      const check = (rows[0].checks as CheckRow[]).find((c) => c.name === 'eligibility_register');
      return {
        status: rows[0].status as string,
        district: rows[0].district as string | null,
        check: check!,
      };
    });

  describe('entries with an email', () => {
    it('stores the email encrypted, shows it back only masked, and refuses a repeated address', async () => {
      const create = await t
        .http()
        .post('/v1/registers')
        .set(moderator.auth)
        .send({ name: 'Deputies with addresses' })
        .expect(201);
      const id = create.body.id as string;
      const res = await t
        .http()
        .put(`/v1/registers/${id}/entries`)
        .set(moderator.auth)
        .set('content-type', 'text/csv')
        .send(
          [
            'fullName,district,title,email',
            'Kira Primerova,District 1,Deputy,kira.primerova@example.org',
            'Lev Primerov,District 2,,',
            'Lada Primerova,District 3,,KIRA.primerova@Example.org',
            'Mark Primerov,District 4,,not-an-address',
          ].join('\n'),
        )
        .expect(200);
      expect(res.body.imported).toBe(2);
      expect(res.body.rejected).toEqual([
        { row: 3, code: 'duplicate_in_upload', message: expect.any(String) },
        { row: 4, code: 'validation_failed', message: expect.stringMatching(/email/) },
      ]);

      const entries = await t
        .http()
        .get(`/v1/registers/${id}/entries`)
        .set(moderator.auth)
        .expect(200);
      expect(entries.body.items).toEqual([
        {
          fullName: 'Kira Primerova',
          district: 'District 1',
          title: 'Deputy',
          email: 'k***@example.org',
        },
        { fullName: 'Lev Primerov', district: 'District 2', title: null, email: null },
      ]);
      const { rows } = await t.db.query(
        `SELECT email_encrypted, email_index FROM register_entries WHERE register_id = $1 ORDER BY row_number`,
        [id],
      );
      expect(rows[0].email_encrypted).toBeInstanceOf(Buffer);
      expect(rows[0].email_index).toHaveLength(32);
      expect(rows[0].email_encrypted.toString('latin1')).not.toContain('primerova');
      expect(rows[1].email_encrypted).toBeNull();
    });

    it('sends a listed name signed from someone else’s address to review, and verifies the owner’s', async () => {
      const registerId = await createRegister([
        { fullName: 'Ольга Образцова', district: 'Округ 5', email: 'olga.obraztsova@gmail.com' },
        { fullName: 'Pavel Shablonov', district: 'Округ 6' },
      ]);
      const stranger = await petition(registerId);
      await sign(stranger, {
        fullName: 'Olga Obraztsova',
        email: 'impostor@example.org',
        district: 'Okrug 5',
      });
      const result = await settled(stranger, 'Olga Obraztsova');
      expect(result.status).toBe('needs_review');
      expect(result.check).toMatchObject({
        outcome: 'review',
        detail: expect.stringContaining('on the register under another address'),
      });
      expect(result.check.detail).not.toContain('olga');

      // The owner, writing the address as Gmail allows (dots, capitals, a tag): the same mailbox.
      const owner = await petition(registerId);
      await sign(owner, {
        fullName: 'Образцова Ольга',
        email: 'Olga.Obraz.tsova+petition@GMAIL.com',
        district: 'округ 5',
      });
      expect(await settled(owner, 'Образцова Ольга')).toMatchObject({
        status: 'verified',
        check: { outcome: 'pass' },
      });

      // An entry without an email vouches for the name and district, from any address.
      await sign(owner, {
        fullName: 'Pavel Shablonov',
        email: 'pavel@example.org',
        district: 'Округ 6',
      });
      expect(await settled(owner, 'Pavel Shablonov')).toMatchObject({ status: 'verified' });
    });

    it('re-checks on a new upload: an entry given another address sends its verified signer to review', async () => {
      const registerId = await createRegister([{ fullName: 'Rita Testova', district: 'Округ 7' }]);
      const p = await petition(registerId);
      await sign(p, { fullName: 'Rita Testova', email: 'rita@example.org', district: 'Округ 7' });
      expect(await settled(p, 'Rita Testova')).toMatchObject({ status: 'verified' });

      await upload(registerId, [
        { fullName: 'Rita Testova', district: 'Округ 7', email: 'rita.testova@example.net' },
      ]);
      const moved = await waitFor('the re-check', async () => {
        const { rows } = await t.db.query(
          `SELECT status, checks FROM signatures WHERE petition_id = $1 AND status = 'needs_review'`,
          [p.id],
        );
        return rows[0] as { status: string; checks: CheckRow[] } | undefined;
      });
      expect(moved.checks.find((c) => c.name === 'eligibility_register')?.detail).toContain(
        'on the register under another address',
      );
    });
  });

  describe('districts', () => {
    it('verifies “Ksenia Andreevna Toropova, Semenovsky” against “Торопова Ксения Андреевна, Семёновский”, storing the register’s spelling', async () => {
      const registerId = await createRegister([
        { fullName: 'Торопова Ксения Андреевна', district: 'Семёновский' },
      ]);
      const p = await petition(registerId);
      await sign(p, {
        fullName: 'Ksenia Andreevna Toropova',
        email: 'ksenia@example.org',
        district: 'Semenovsky',
      });
      expect(await settled(p, 'Ksenia Andreevna Toropova')).toMatchObject({
        status: 'verified',
        district: 'Семёновский',
        check: { outcome: 'pass' },
      });
    });

    it('verifies a Cyrillic signer against a Latin register entry', async () => {
      const registerId = await createRegister([
        { fullName: 'Ksenia Andreevna Toropova', district: 'Semyonovskiy' },
      ]);
      const p = await petition(registerId);
      await sign(p, {
        fullName: 'Торопова Ксения Андреевна',
        email: 'ksenia@example.org',
        district: 'Семёновский',
      });
      expect(await settled(p, 'Торопова Ксения Андреевна')).toMatchObject({
        status: 'verified',
        district: 'Semyonovskiy',
      });
    });

    const importRows = (p: PetitionBody, signatures: Array<Record<string, string>>) =>
      t
        .http()
        .post(`/v1/petitions/${p.id}/signatures/import`)
        .set(organiser.auth)
        .send({ signatures })
        .expect(202);

    const verifiedCount = async (p: PetitionBody) => {
      const { rows } = await t.db.query(
        `SELECT count(*) FILTER (WHERE status = 'verified')::int AS verified,
                count(*) FILTER (WHERE status = 'pending')::int AS pending
           FROM signatures WHERE petition_id = $1`,
        [p.id],
      );
      return rows[0] as { verified: number; pending: number };
    };

    it('folds a district with one verified signer into otherVerified', async () => {
      const p = await openPetition(t, organiser, moderator, { requireEmailConfirmation: false });
      await importRows(p, [
        { fullName: 'Anna Testova', district: 'Хамовники' },
        { fullName: 'Boris Testov', district: 'Khamovniki' },
        { fullName: 'Vera Testova', district: 'hamovniki' },
        { fullName: 'Gleb Testov', district: 'Arbat' },
      ]);
      await waitFor('all verified', async () =>
        (await verifiedCount(p)).verified === 4 ? true : undefined,
      );
      const body = await waitFor('district counts', async () => {
        const res = await t.http().get(`/v1/petitions/${p.id}/counts/districts`).expect(200);
        return res.body.otherVerified === 1 ? res.body : undefined;
      });
      // Arbat's one signer is not shown on its own; the three spellings of Khamovniki are one.
      expect(body).toEqual({
        items: [{ district: expect.any(String), verified: 3 }],
        otherVerified: 1,
      });
      expect(['Хамовники', 'Khamovniki', 'hamovniki']).toContain(body.items[0].district);
      expect(JSON.stringify(body)).not.toContain('Arbat');
    });

    it('with a register, counts one row per register district whatever spelling signers used', async () => {
      const registerId = await createRegister([
        { fullName: 'Anna Testova', district: 'Семёновский' },
        { fullName: 'Boris Testov', district: 'Семёновский' },
        { fullName: 'Vera Testova', district: 'Семёновский' },
        { fullName: 'Gleb Testov', district: 'Хамовники' },
      ]);
      const p = await petition(registerId);
      await importRows(p, [
        { fullName: 'Anna Testova', district: 'Semenovsky' },
        { fullName: 'Boris Testov', district: 'семеновский' },
        { fullName: 'Vera Testova', district: 'Semyonovskiy' },
        { fullName: 'Gleb Testov', district: 'Khamovniki' },
      ]);
      await waitFor('all verified', async () =>
        (await verifiedCount(p)).verified === 4 ? true : undefined,
      );
      const body = await waitFor('district counts', async () => {
        const res = await t.http().get(`/v1/petitions/${p.id}/counts/districts`).expect(200);
        return res.body.items.length === 1 ? res.body : undefined;
      });
      expect(body).toEqual({ items: [{ district: 'Семёновский', verified: 3 }], otherVerified: 1 });
    });
  });
});
