import { randomUUID } from 'node:crypto';
import { AccountRole } from '../src/accounts/account-role.js';
import {
  createAccount,
  openPetition,
  type PetitionBody,
  type TestAccount,
} from './support/factories.js';
import { SmtpSink, tokenFrom } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

interface CheckEntry {
  name: string;
  outcome: 'pass' | 'review' | 'fail';
  detail: string;
  risk: number;
  reasonCode?: string;
}

interface DecidedRow {
  id: string;
  status: string;
  origin: string;
  full_name: string;
  reason_code: string | null;
  risk_score: number;
  checks: CheckEntry[];
}

const CHECK_NAMES = [
  'block',
  'implausible_name',
  'disposable_email',
  'duplicate_person',
  'same_address',
  'source_burst',
  'eligibility_register',
];

/** Helpers bound to one running app. */
function checkHelpers(getApp: () => TestApp) {
  const sign = (petition: PetitionBody, body: Record<string, unknown>) =>
    getApp().http().post(`/v1/petitions/${petition.id}/signatures`).send(body).expect(202);

  /** The signature with this name on the petition, once its checks have decided it. */
  const decided = (
    petition: PetitionBody,
    fullName: string,
    district: string | null = null,
  ): Promise<DecidedRow> =>
    waitFor(`the decision on ${fullName}`, async () => {
      const { rows } = await getApp().db.query<DecidedRow>(
        `SELECT id, status, origin, full_name, reason_code, risk_score, checks FROM signatures
          WHERE petition_id = $1 AND full_name = $2
            AND ($3::text IS NULL OR district = $3::text)`,
        [petition.id, fullName, district],
      );
      return rows.length === 1 && !['pending', 'unconfirmed'].includes(rows[0].status)
        ? rows[0]
        : undefined;
    });

  const check = (row: DecidedRow, name: string): CheckEntry => {
    expect(row.checks.map((c) => c.name)).toEqual(CHECK_NAMES);
    const entry = row.checks.find((c) => c.name === name)!;
    expect(typeof entry.detail).toBe('string');
    expect(entry.detail.length).toBeGreaterThan(0);
    if (entry.outcome === 'pass') expect(entry.risk).toBe(0);
    else expect(entry.risk).toBeGreaterThan(0);
    return entry;
  };

  /** The decision was recorded as one event from `pending`, by the system. */
  const expectDecisionEvent = async (row: DecidedRow): Promise<void> => {
    const { rows } = await getApp().db.query(
      `SELECT from_status, to_status, actor_type, actor_id, reason_code FROM signature_events
        WHERE signature_id = $1 AND from_status = 'pending'`,
      [row.id],
    );
    expect(rows).toEqual([
      {
        from_status: 'pending',
        to_status: row.status,
        actor_type: 'system',
        actor_id: null,
        reason_code: row.reason_code,
      },
    ]);
  };

  return { sign, decided, check, expectDecisionEvent };
}

/** Each automated verification check, seen end to end through the stored decision. */
describe('automated checks', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let organiser: TestAccount;
  let moderator: TestAccount;
  const { sign, decided, check, expectDecisionEvent } = checkHelpers(() => t);

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({ env: { SMTP_URL: smtp.url, SOURCE_BURST_LIMIT: '100000' } });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const open = (overrides: Record<string, unknown> = {}) =>
    openPetition(t, organiser, moderator, overrides);

  it('implausible_name: rejects a web address as fake_name and reviews digits', async () => {
    // With confirmation, so the signer surely holds a token before the checks run.
    const confirmed = await open();
    const email = 'spam.name@example.org';
    await sign(confirmed, { fullName: 'Visit www.cheap-pills.com', email });
    const mail = await waitFor('the confirmation mail', async () => smtp.mailsTo(email).at(0));
    await t
      .http()
      .post('/v1/signatures/confirm')
      .send({ token: tokenFrom(mail) })
      .expect(200);

    const spam = await decided(confirmed, 'Visit www.cheap-pills.com');
    expect(spam.status).toBe('rejected');
    expect(spam.reason_code).toBe('fake_name');
    expect(spam.risk_score).toBeGreaterThan(0);
    expect(check(spam, 'implausible_name')).toMatchObject({
      outcome: 'fail',
      reasonCode: 'fake_name',
    });
    await expectDecisionEvent(spam);
    const lookup = await t
      .http()
      .post('/v1/signatures/lookup')
      .send({ token: tokenFrom(mail, 'withdraw') })
      .expect(200);
    expect(lookup.body).toMatchObject({
      status: 'rejected',
      petitionId: confirmed.id,
      reasonCode: 'fake_name',
    });

    const direct = await open({ requireEmailConfirmation: false });
    await sign(direct, { fullName: 'Ivan Primerov 2nd', email: 'ivan.digits@example.org' });
    const digits = await decided(direct, 'Ivan Primerov 2nd');
    expect(digits.status).toBe('needs_review');
    expect(digits.reason_code).toBeNull();
    expect(digits.risk_score).toBeGreaterThan(0);
    expect(check(digits, 'implausible_name').outcome).toBe('review');
    await expectDecisionEvent(digits);
  });

  it('disposable_email: reviews a throwaway domain and passes an ordinary one', async () => {
    const petition = await open({ requireEmailConfirmation: false });
    await sign(petition, { fullName: 'Olga Testova', email: 'olga.testova@mailinator.com' });
    const throwaway = await decided(petition, 'Olga Testova');
    expect(throwaway.status).toBe('needs_review');
    expect(throwaway.risk_score).toBeGreaterThan(0);
    const entry = check(throwaway, 'disposable_email');
    expect(entry.outcome).toBe('review');
    expect(entry.detail).toContain('mailinator.com');
    expect(entry.detail).not.toContain('olga.testova');
    await expectDecisionEvent(throwaway);

    await sign(petition, { fullName: 'Petr Primerov', email: 'petr.primerov@example.org' });
    const ordinary = await decided(petition, 'Petr Primerov');
    expect(ordinary.status).toBe('verified');
    expect(ordinary.reason_code).toBeNull();
    expect(ordinary.risk_score).toBe(0);
    expect(check(ordinary, 'disposable_email').outcome).toBe('pass');
    for (const name of CHECK_NAMES) expect(check(ordinary, name).outcome).toBe('pass');
    await expectDecisionEvent(ordinary);
  });

  it('duplicate_person: reviews the same name and district under another email', async () => {
    const petition = await open({ requireEmailConfirmation: false });
    await sign(petition, {
      fullName: 'Anna Testova',
      email: 'anna.first@example.org',
      district: 'District 1',
    });
    const first = await decided(petition, 'Anna Testova', 'District 1');
    expect(first.status).toBe('verified');
    expect(check(first, 'duplicate_person').outcome).toBe('pass');

    await sign(petition, {
      fullName: 'testova anna',
      email: 'anna.second@example.org',
      district: 'District 1',
    });
    const again = await decided(petition, 'testova anna');
    expect(again.status).toBe('needs_review');
    expect(again.risk_score).toBeGreaterThan(0);
    const entry = check(again, 'duplicate_person');
    expect(entry.outcome).toBe('review');
    expect(entry.detail).toContain(first.id);
    await expectDecisionEvent(again);

    await sign(petition, {
      fullName: 'Anna Testova',
      email: 'anna.third@example.org',
      district: 'District 2',
    });
    const namesake = await decided(petition, 'Anna Testova', 'District 2');
    expect(namesake.status).toBe('verified');
    expect(check(namesake, 'duplicate_person').outcome).toBe('pass');
    await expectDecisionEvent(namesake);
  });

  it('eligibility_register: reviews signatures on a petition that names a register', async () => {
    // A register must exist to be named; an empty one (version 0) cannot match anyone.
    const register = await t
      .http()
      .post('/v1/registers')
      .set(moderator.auth)
      .send({ name: `Test register ${randomUUID()}` })
      .expect(201);
    const petition = await open({ requireEmailConfirmation: false, registerId: register.body.id });
    expect(petition.registerId).toBe(register.body.id);
    await sign(petition, { fullName: 'Maria Testova', email: 'maria.register@example.org' });
    const row = await decided(petition, 'Maria Testova');
    expect(row.status).toBe('needs_review');
    expect(row.risk_score).toBeGreaterThan(0);
    expect(check(row, 'eligibility_register').outcome).toBe('review');
    for (const name of CHECK_NAMES.filter((n) => n !== 'eligibility_register')) {
      expect(check(row, name).outcome).toBe('pass');
    }
    await expectDecisionEvent(row);
  });

  it('records every decision as one system event from pending', async () => {
    const { rows } = await t.db.query<{
      id: string;
      status: string;
      reason_code: string | null;
      events: Array<{ to: string; actor: string; reason: string | null }>;
    }>(
      `SELECT s.id, s.status, s.reason_code,
              coalesce(json_agg(json_build_object('to', e.to_status, 'actor', e.actor_type,
                'reason', e.reason_code)) FILTER (WHERE e.signature_id IS NOT NULL), '[]') AS events
         FROM signatures s
         LEFT JOIN signature_events e ON e.signature_id = s.id AND e.from_status = 'pending'
        GROUP BY s.id`,
    );
    const decidedRows = rows.filter((r) =>
      ['verified', 'needs_review', 'rejected'].includes(r.status),
    );
    expect(decidedRows.length).toBeGreaterThanOrEqual(8);
    for (const row of decidedRows) {
      expect(row.events).toEqual([{ to: row.status, actor: 'system', reason: row.reason_code }]);
    }
  });
});

describe('source_burst check', () => {
  let t: TestApp;
  let organiser: TestAccount;
  let moderator: TestAccount;
  const { sign, decided, check, expectDecisionEvent } = checkHelpers(() => t);

  beforeAll(async () => {
    t = await startTestApp({ env: { SOURCE_BURST_LIMIT: '3' } });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
  });
  afterAll(async () => {
    await t.close();
  });

  it('reviews public signatures from one source beyond the limit, but not imports', async () => {
    const petition = await openPetition(t, organiser, moderator, {
      requireEmailConfirmation: false,
    });
    const names = [
      'Alla Testova',
      'Boris Primerov',
      'Vera Obraztsova',
      'Gleb Testov',
      'Dina Primerova',
    ];
    for (const [i, fullName] of names.entries()) {
      await sign(petition, { fullName, email: `burst${i}@example.org` });
    }
    const rows = [];
    for (const name of names) rows.push(await decided(petition, name));

    // Signatures are ranked by creation time (to the millisecond, then id), so two made in the same
    // millisecond on a busy machine may swap places; what must hold is three pass, two do not.
    rows.sort((a, b) => Number(a.status === 'needs_review') - Number(b.status === 'needs_review'));
    for (const row of rows.slice(0, 3)) {
      expect(row.status).toBe('verified');
      expect(check(row, 'source_burst').outcome).toBe('pass');
      await expectDecisionEvent(row);
    }
    for (const row of rows.slice(3)) {
      expect(row.status).toBe('needs_review');
      expect(row.risk_score).toBeGreaterThan(0);
      expect(check(row, 'source_burst').outcome).toBe('review');
      for (const name of CHECK_NAMES.filter((n) => n !== 'source_burst')) {
        expect(check(row, name).outcome).toBe('pass');
      }
      await expectDecisionEvent(row);
    }

    const res = await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures/import`)
      .set(organiser.auth)
      .send({
        signatures: [
          { fullName: 'Egor Importov', email: 'egor.import@example.org' },
          { fullName: 'Zoya Importova' },
        ],
      })
      .expect(202);
    expect(res.body).toEqual({ accepted: 2, rejected: [] });
    for (const name of ['Egor Importov', 'Zoya Importova']) {
      const row = await decided(petition, name);
      expect(row.origin).toBe('import');
      expect(row.status).toBe('verified');
      const entry = check(row, 'source_burst');
      expect(entry.outcome).toBe('pass');
      expect(entry.detail).toMatch(/imported/i);
      await expectDecisionEvent(row);
    }
  });
});
