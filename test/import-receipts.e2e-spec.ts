import { AccountRole } from '../src/accounts/account-role.js';
import { countsMatchRows } from './support/counts.js';
import { createAccount, openPetition, type TestAccount } from './support/factories.js';
import { type CaughtMail, SmtpSink, tokenFrom } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

interface Row {
  id: string;
  status: string;
  origin: string;
  full_name: string;
  checks: Array<{ name: string; outcome: string; detail: string }> | null;
  token_encrypted: Buffer | null;
  mail_sent_at: Date | null;
}

const MAIL_LIMIT = 3;

/**
 * Imports never merge silently with an online signature of the same address: the imported row is
 * its own signature, the pair goes to review, and the address's owner gets a receipt with the
 * withdraw link (through the mail queue, within MAIL_LIMIT_PER_ADDRESS).
 */
describe('imports of an address that signed: review and a receipt', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let organiser: TestAccount;
  let moderator: TestAccount;

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({
      env: {
        SMTP_URL: smtp.url,
        SOURCE_BURST_LIMIT: '100000',
        SIGN_MIN_RESPONSE_MS: '0',
        MAIL_LIMIT_PER_ADDRESS: `${MAIL_LIMIT}/86400`,
      },
    });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const open = (overrides: Record<string, unknown> = {}) =>
    openPetition(t, organiser, moderator, { requireEmailConfirmation: false, ...overrides });

  const sign = (petitionId: string, fullName: string, email: string) =>
    t
      .http()
      .post(`/v1/petitions/${petitionId}/signatures`)
      .send({ fullName, email, district: 'Harbour' })
      .expect(202);

  const importRows = async (petitionId: string, signatures: unknown[]) => {
    const res = await t
      .http()
      .post(`/v1/petitions/${petitionId}/signatures/import`)
      .set(organiser.auth)
      .send({ signatures });
    expect(res.status).toBe(202);
    return res.body as { accepted: number; rejected: Array<{ row: number; code: string }> };
  };

  const rows = async (petitionId: string) =>
    (
      await t.db.query<Row>(
        `SELECT id, status, origin, full_name, checks, token_encrypted, mail_sent_at
           FROM signatures WHERE petition_id = $1 ORDER BY created_at, id`,
        [petitionId],
      )
    ).rows;

  const settled = (petitionId: string, n: number) =>
    waitFor(`${n} signatures decided`, async () => {
      const all = await rows(petitionId);
      return all.length === n && all.every((r) => r.status !== 'pending') ? all : undefined;
    });

  const byName = (all: Row[], name: string) => {
    const found = all.filter((r) => r.full_name === name);
    expect(found).toHaveLength(1);
    return found[0];
  };

  const check = (row: Row, name: string) => row.checks?.find((c) => c.name === name);

  /**
   * Mails to an address however its local part was cased: each signature keeps the address as it
   * was given for it (an import's row its own, not the online signer's spelling).
   */
  const mails = (address: string, n: number) =>
    waitFor(`${n} mail(s) to an address`, async () => {
      const got = smtp.mails.filter((m) =>
        m.to.some((to) => to.toLowerCase() === address.toLowerCase()),
      );
      return got.length >= n ? got : undefined;
    });

  const withdraw = (mail: CaughtMail) =>
    t
      .http()
      .post('/v1/signatures/withdraw')
      .send({ token: tokenFrom(mail, 'withdraw') });

  it('imports an address that signed online as its own signature, sends it to review, and mails the owner a withdraw link', async () => {
    const petition = await open();
    const owner = 'pavel.owner@example.org';
    await sign(petition.id, 'Pavel Vladelcev', owner);
    const [online] = await settled(petition.id, 1);
    expect(online.status).toBe('verified');
    await mails(owner, 1);

    const res = await importRows(petition.id, [
      { fullName: 'Pavel Importov', email: 'Pavel.Owner@example.org', district: 'Harbour' },
      { fullName: 'Rita Bumagova', email: 'rita.paper@example.org' },
      { fullName: 'Oleg Bezpochty' },
    ]);
    expect(res).toEqual({ accepted: 3, rejected: [] });

    const all = await settled(petition.id, 4);
    const imported = byName(all, 'Pavel Importov');
    expect(imported).toMatchObject({ origin: 'import', status: 'needs_review' });
    expect(check(imported, 'same_address')).toEqual({
      name: 'same_address',
      outcome: 'review',
      detail: `Same address as signature ${online.id}`,
      risk: expect.any(Number),
    });
    expect(check(byName(all, 'Rita Bumagova'), 'same_address')?.outcome).toBe('pass');
    expect(byName(all, 'Pavel Vladelcev').status).toBe('verified');
    expect(await countsMatchRows(t, petition.id)).toMatchObject({
      verified: 3,
      needsReview: 1,
      pending: 0,
    });

    // The owner's second mail is the import's receipt: no confirm link, a withdraw link.
    const [, receipt] = await mails(owner, 2);
    expect(receipt.subject).toMatch(/added in your name/i);
    expect(receipt.text).toContain('/signatures/withdraw?token=');
    expect(receipt.text).not.toContain('/signatures/confirm?token=');
    expect(receipt.text).not.toContain('Pavel');
    await mails('rita.paper@example.org', 1);
    expect(smtp.mails.filter((m) => m.text.includes('Bezpochty'))).toEqual([]);

    const withdrawn = await withdraw(receipt).expect(200);
    expect(withdrawn.body).toEqual({ status: 'withdrawn' });
    const after = await rows(petition.id);
    expect(after.find((r) => r.id === imported.id)?.status).toBe('withdrawn');
    expect(after.find((r) => r.id === online.id)?.status).toBe('verified');
    expect(await countsMatchRows(t, petition.id)).toMatchObject({
      verified: 3,
      needsReview: 0,
      withdrawn: 1,
    });
  });

  it('does not lock the owner out: signing online after an import makes their own signature, sent to review', async () => {
    const petition = await open();
    const owner = 'zoya.owner@example.org';
    await importRows(petition.id, [{ fullName: 'Zoya Bumagova', email: owner }]);
    const [imported] = await settled(petition.id, 1);
    expect(imported.status).toBe('verified');
    await mails(owner, 1);

    await sign(petition.id, 'Zoya Onlaynova', owner);
    const all = await settled(petition.id, 2);
    const online = byName(all, 'Zoya Onlaynova');
    expect(online).toMatchObject({ origin: 'public', status: 'needs_review' });
    expect(check(online, 'same_address')?.detail).toBe(`Same address as signature ${imported.id}`);
    await mails(owner, 2);

    // Public signing keeps one signature per address.
    await sign(petition.id, 'Zoya Onlaynova', owner);
    expect(await rows(petition.id)).toHaveLength(2);
  });

  it('takes the same address and name in two uploads as two signatures (the second to review), and refuses it twice in one', async () => {
    const petition = await open();
    const address = 'gleb.twice@example.org';
    await importRows(petition.id, [{ fullName: 'Gleb Dvazhdy', email: address }]);
    const [firstRow] = await settled(petition.id, 1);
    await importRows(petition.id, [{ fullName: 'Gleb Dvazhdy', email: address }]);
    const all = await settled(petition.id, 2);
    const second = all.find((r) => r.id !== firstRow.id)!;
    expect(second.status).toBe('needs_review');
    expect(check(second, 'same_address')?.detail).toBe(`Same address as signature ${firstRow.id}`);
    // The same name too, but not "under another email": that check leaves the pair to this one.
    expect(check(second, 'duplicate_person')?.outcome).toBe('pass');

    const same = await importRows(petition.id, [
      { fullName: 'Inna Raz', email: 'inna.once@example.org' },
      { fullName: 'Inna Dva', email: 'Inna.Once@example.org' },
    ]);
    expect(same.accepted).toBe(1);
    expect(same.rejected.map((r) => [r.row, r.code])).toEqual([[2, 'duplicate_in_upload']]);
  });

  it('writes the receipt in the petition’s language, and keeps rows whose mail is over the address’s budget', async () => {
    const petition = await open({ language: 'ru' });
    const address = 'kira.budget@example.org';
    for (let i = 0; i < MAIL_LIMIT + 1; i++) {
      await importRows(petition.id, [{ fullName: `Кира Бюджетова ${'абвг'[i]}`, email: address }]);
    }
    await settled(petition.id, MAIL_LIMIT + 1);
    // Every row's mail is settled (sent or dropped): none is owed any more.
    const all = await waitFor('all receipts settled', async () => {
      const now = await rows(petition.id);
      return now.every((r) => r.token_encrypted === null) ? now : undefined;
    });
    expect(all).toHaveLength(MAIL_LIMIT + 1);
    expect(all.filter((r) => r.mail_sent_at !== null)).toHaveLength(MAIL_LIMIT);
    const got = smtp.mailsTo(address);
    expect(got).toHaveLength(MAIL_LIMIT);
    expect(got[0].subject).toMatch(/от вашего имени/);
    expect(got[0].text).toContain('/signatures/withdraw?token=');
    expect(got[0].text).toContain('Организатор');
  });

  it('answers an import of 10,000 addresses without waiting for its mail, and does not hold a signer’s confirmation behind it', async () => {
    const petition = await open();
    const n = 10_000;
    const csv =
      'fullName,email\n' +
      Array.from(
        { length: n },
        (_, i) => `Massovy Podpisant ${i},bulk.${i}@bulk-example.test`,
      ).join('\n') +
      '\n';
    const started = performance.now();
    const res = await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures/import`)
      .set(organiser.auth)
      .set('Content-Type', 'text/csv')
      .send(csv);
    const importMs = performance.now() - started;
    expect([res.status, res.body.accepted]).toEqual([202, n]);

    // A signer of another petition signs now: their confirmation goes ahead of the receipts.
    const other = await open({ requireEmailConfirmation: true });
    const signedAt = performance.now();
    await sign(other.id, 'Larisa Srochnaya', 'larisa.urgent@example.org');
    await mails('larisa.urgent@example.org', 1);
    const confirmationMs = performance.now() - signedAt;
    const receiptsBefore = smtp.mails.filter((m) => m.to[0]?.endsWith('@bulk-example.test')).length;

    const receiptsStarted = performance.now();
    await waitFor(
      'every receipt settled',
      async () => {
        const { rows: owed } = await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM signatures
            WHERE petition_id = $1 AND token_encrypted IS NOT NULL`,
          [petition.id],
        );
        return owed[0].n === 0 ? true : undefined;
      },
      { timeoutMs: 240_000, intervalMs: 500 },
    );
    const receiptsMs = performance.now() - started;
    const waitedMs = performance.now() - receiptsStarted;
    const sent = smtp.mails.filter((m) => m.to[0]?.endsWith('@bulk-example.test')).length;

    // For comparison, on the machine as loaded now: the same rows without emails (no receipts).
    const bare = await open();
    const bareStarted = performance.now();
    await t
      .http()
      .post(`/v1/petitions/${bare.id}/signatures/import`)
      .set(organiser.auth)
      .set('Content-Type', 'text/csv')
      .send(csv.replace(/,bulk\.\d+@bulk-example\.test/g, ','))
      .expect(202);
    const bareMs = performance.now() - bareStarted;
    console.log(
      `import of ${n} rows without emails answered in ${bareMs.toFixed(0)} ms; ` +
        `import of ${n} rows with emails answered in ${importMs.toFixed(0)} ms; ` +
        `a confirmation signed meanwhile arrived in ${confirmationMs.toFixed(0)} ms ` +
        `(${receiptsBefore} receipts out by then); all ${sent} receipts out ` +
        `${(receiptsMs / 1000).toFixed(1)} s after the import started ` +
        `(${waitedMs.toFixed(0)} ms of waiting)`,
    );
    expect(receiptsBefore).toBeLessThan(n);
    expect(sent).toBe(n);
  }, 300_000);
});
