import { AccountRole } from '../src/accounts/account-role.js';
import { JobProducer } from '../src/queue/job-producer.js';
import { JobName } from '../src/queue/queue-names.js';
import {
  createAccount,
  openPetition,
  type PetitionBody,
  type TestAccount,
} from './support/factories.js';
import { consoleSession, csrfFor, FORM } from './support/console.js';
import { type CaughtMail, SmtpSink } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

const BASE = 'https://petitions.example.test';

interface CheckRow {
  name: string;
  outcome: string;
  detail: string;
}

/**
 * Register invitations (issue 13 item 2): a personal link per entry with an email, through the
 * mail queue; signing with it needs no confirmation, verifies at once, and works once.
 */
describe('register invitations', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let organiser: TestAccount;
  let otherOrganiser: TestAccount;
  let moderator: TestAccount;

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({
      env: {
        SMTP_URL: smtp.url,
        PUBLIC_BASE_URL: BASE,
        SOURCE_BURST_LIMIT: '100000',
        // One try per mail job, and a sweeper every second: a failed invitation mail is the
        // sweeper's to send again (see the test of it).
        JOB_ATTEMPTS: '1',
        SWEEP_INTERVAL_SECONDS: '1',
      },
    });
    organiser = await createAccount(t, AccountRole.Organiser);
    otherOrganiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  let counter = 0;
  /** A register of three deputies (two with addresses unique to this call) and a petition on it. */
  const setUp = async (overrides: Record<string, unknown> = {}) => {
    const n = ++counter;
    const deputy = `ksenia.toropova.${n}@example.org`;
    const second = `gleb.primerov.${n}@example.org`;
    const res = await t
      .http()
      .post('/v1/registers')
      .set(moderator.auth)
      .send({ name: `Deputies ${n}` })
      .expect(201);
    const registerId = res.body.id as string;
    await t
      .http()
      .put(`/v1/registers/${registerId}/entries`)
      .set(moderator.auth)
      .set('content-type', 'text/csv')
      .send(
        [
          'fullName,district,title,email',
          `Торопова Ксения Андреевна,Семёновский,Депутат,${deputy}`,
          `Gleb Primerov,Khamovniki,Deputy,${second}`,
          'Lev Bezadresov,Arbat,Deputy,',
        ].join('\n'),
      )
      .expect(200);
    const petition = await openPetition(t, organiser, moderator, {
      registerId,
      requireEmailConfirmation: true,
      eligibility: 'strict',
      ...overrides,
    });
    return { registerId, petition, deputy, second };
  };

  const invite = (p: PetitionBody, who: TestAccount = organiser, body: object = {}) =>
    t.http().post(`/v1/petitions/${p.id}/invitations`).set(who.auth).send(body);

  const linkIn = (mail: CaughtMail): string => {
    const line = mail.text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.includes('?invitation='));
    if (!line) throw new Error('no invitation link in the mail');
    return line;
  };
  const invitationMail = (to: string) =>
    waitFor(`the invitation to ${to}`, async () =>
      smtp.mailsTo(to).find((mail) => mail.text.includes('?invitation=')),
    );
  const tokenOf = (mail: CaughtMail) => new URL(linkIn(mail)).searchParams.get('invitation')!;

  const signatureOf = (p: PetitionBody, fullName: string) =>
    waitFor(`a decision for ${fullName}`, async () => {
      const { rows } = await t.db.query(
        `SELECT id, status, district, invitation_id, checks FROM signatures
          WHERE petition_id = $1 AND full_name = $2 AND status NOT IN ('pending', 'unconfirmed')`,
        [p.id, fullName],
      );
      return rows[0] as
        | {
            id: string;
            status: string;
            district: string;
            invitation_id: string;
            checks: CheckRow[];
          }
        | undefined;
    });

  it('mails each entry with an email a personal link, storing only a hash of its token', async () => {
    const { petition, deputy, second } = await setUp();
    const res = await invite(petition).expect(202);
    expect(res.body).toEqual({ invited: 2, skipped: 0 });

    const mail = await invitationMail(deputy);
    expect(linkIn(mail)).toMatch(
      new RegExp(`^${BASE}/petitions/${petition.slug}\\?invitation=[A-Za-z0-9_-]{43}$`),
    );
    await invitationMail(second);
    const token = tokenOf(mail);
    const { rows } = await t.db.query(
      `SELECT token_hash, token_encrypted, mail_sent_at FROM register_invitations
        WHERE petition_id = $1`,
      [petition.id],
    );
    expect(rows).toHaveLength(2);
    const dump = JSON.stringify(rows.map((r) => [r.token_hash.toString('latin1')]));
    expect(dump).not.toContain(token);
    await waitFor('the outbox cleared', async () => {
      const { rows: owed } = await t.db.query(
        `SELECT count(*)::int AS n FROM register_invitations
          WHERE petition_id = $1 AND (token_encrypted IS NOT NULL OR mail_sent_at IS NULL)`,
        [petition.id],
      );
      return owed[0].n === 0 ? true : undefined;
    });
    // An invitation is not a signature: no count moved.
    const counts = await t.http().get(`/v1/petitions/${petition.id}/counts`).expect(200);
    expect(counts.body).toMatchObject({ pending: 0, verified: 0, needsReview: 0 });
  });

  it('signs through the invitation without a confirmation mail, verifies at once, and works once', async () => {
    const { petition, deputy } = await setUp();
    // A stranger signs first, as the deputy, from an address of their own.
    await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures`)
      .send({
        fullName: 'Ksenia Andreevna Toropova',
        email: 'stranger@example.net',
        district: 'Semenovsky',
      })
      .expect(202);
    const confirm = await waitFor('the stranger’s mail', async () =>
      smtp.mailsTo('stranger@example.net').find((m) => m.text.includes(petition.slug) || m.text),
    );
    const strangerToken = new URL(
      confirm.text
        .split('\n')
        .map((l) => l.trim())
        .find((l) => l.includes('/signatures/confirm?token='))!,
    ).searchParams.get('token');
    await t.http().post('/v1/signatures/confirm').send({ token: strangerToken }).expect(200);
    const stranger = await signatureOf(petition, 'Ksenia Andreevna Toropova');
    expect(stranger.status).toBe('needs_review');
    expect(stranger.checks.find((c) => c.name === 'eligibility_register')?.detail).toContain(
      'on the register under another address',
    );

    await invite(petition).expect(202);
    const token = tokenOf(await invitationMail(deputy));
    const before = smtp.mailsTo(deputy).length;
    const res = await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures`)
      .send({ invitation: token, displayPublicly: true })
      .expect(202);
    expect(res.body).toEqual({ status: 'received' });

    const signed = await signatureOf(petition, 'Торопова Ксения Андреевна');
    expect(signed).toMatchObject({ status: 'verified', district: 'Семёновский' });
    expect(signed.invitation_id).toEqual(expect.any(String));
    expect(signed.checks.find((c) => c.name === 'eligibility_register')).toMatchObject({
      outcome: 'pass',
      detail: expect.stringContaining('invitation'),
    });
    // The mail that follows is a receipt with the withdraw link, not a confirmation.
    const receipt = await waitFor('the receipt', async () =>
      smtp.mailsTo(deputy).length > before ? smtp.mailsTo(deputy)[before] : undefined,
    );
    expect(receipt.text).toContain('/signatures/withdraw?token=');
    expect(receipt.text).not.toContain('/signatures/confirm?token=');

    // Used once: again, even at the same moment, is a clear 409.
    const again = await t
      .http()
      .post(`/v1/petitions/${petition.slug}/signatures`)
      .send({ invitation: token })
      .expect(409);
    expect(again.body).toMatchObject({ code: 'invitation_used', statusCode: 409 });
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1`,
      [petition.id],
    );
    expect(rows[0].n).toBe(2);

    // A withdrawal erases the district's key and the link to the invitation with the rest.
    const withdrawToken = new URL(
      receipt.text
        .split('\n')
        .map((l) => l.trim())
        .find((l) => l.includes('/signatures/withdraw?token='))!,
    ).searchParams.get('token');
    await t.http().post('/v1/signatures/withdraw').send({ token: withdrawToken }).expect(200);
    const erased = await t.db.query(
      `SELECT district, district_key, invitation_id FROM signatures WHERE id = $1`,
      [signed.id],
    );
    expect(erased.rows[0]).toEqual({ district: null, district_key: null, invitation_id: null });
  });

  it('lets two requests with one invitation sign only once', async () => {
    const { petition, second } = await setUp({ requireEmailConfirmation: false });
    await invite(petition).expect(202);
    const token = tokenOf(await invitationMail(second));
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        t.http().post(`/v1/petitions/${petition.id}/signatures`).send({ invitation: token }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409, 409]);
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1`,
      [petition.id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('answers a bad, another petition’s or an expired invitation with a clear 4xx', async () => {
    const { petition, deputy } = await setUp();
    const other = await setUp();
    await invite(petition).expect(202);
    const token = tokenOf(await invitationMail(deputy));

    const unknown = await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures`)
      .send({ invitation: 'x'.repeat(43) })
      .expect(404);
    expect(unknown.body).toMatchObject({ code: 'invalid_invitation' });
    const elsewhere = await t
      .http()
      .post(`/v1/petitions/${other.petition.id}/signatures`)
      .send({ invitation: token })
      .expect(404);
    expect(elsewhere.body.code).toBe('invalid_invitation');
    // Without an invitation, the name and email are still required.
    const missing = await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures`)
      .send({ district: 'Семёновский' })
      .expect(400);
    expect(missing.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'email',
      'fullName',
    ]);

    await t.http().post(`/v1/petitions/${petition.id}/close`).set(organiser.auth).expect(200);
    const expired = await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures`)
      .send({ invitation: token })
      .expect(410);
    expect(expired.body).toMatchObject({ code: 'invitation_expired', statusCode: 410 });
  });

  it('skips, when inviting again, those who signed or were invited in the last 24 hours', async () => {
    const { petition, deputy, second } = await setUp({ requireEmailConfirmation: false });
    await invite(petition).expect(202);
    await invitationMail(deputy);
    expect((await invite(petition).expect(202)).body).toEqual({ invited: 0, skipped: 2 });

    // A day later, the one who signed (here without the invitation) is still skipped.
    await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures`)
      .send({ fullName: 'Gleb Primerov', email: second, district: 'Khamovniki' })
      .expect(202);
    await waitFor('the signature', async () => {
      const { rows } = await t.db.query(`SELECT 1 FROM signatures WHERE petition_id = $1`, [
        petition.id,
      ]);
      return rows.length > 0 ? true : undefined;
    });
    await t.db.query(
      `UPDATE register_invitations SET created_at = now() - interval '25 hours' WHERE petition_id = $1`,
      [petition.id],
    );
    expect((await invite(petition).expect(202)).body).toEqual({ invited: 1, skipped: 1 });
    await waitFor('the second invitation', async () =>
      smtp.mailsTo(deputy).filter((m) => m.text.includes('?invitation=')).length === 2
        ? true
        : undefined,
    );
  });

  it('carries the invitation in the petition page’s sign form, and says why a used one no longer works', async () => {
    const { petition, deputy } = await setUp();
    await invite(petition).expect(202);
    const link = linkIn(await invitationMail(deputy));
    const path = link.slice(BASE.length);

    const page = await t.http().get(`${path}&lang=en`).expect(200);
    expect(page.headers['cache-control']).toContain('no-store');
    expect(page.text).toContain('You are signing as Торопова Ксения Андреевна, Семёновский.');
    const token = new URL(link).searchParams.get('invitation')!;
    expect(page.text).toContain(`name="invitation" value="${token}"`);
    expect(page.text).not.toContain('name="email"');
    const formToken = /name="formToken" value="([^"]+)"/.exec(page.text)![1];

    const signed = await t
      .http()
      .post(`/petitions/${petition.slug}/sign`)
      .type('form')
      .send({ formToken, lang: 'en', invitation: token, comment: 'Glad to sign' })
      .expect(303);
    expect(signed.headers.location).toBe(
      `/petitions/${petition.slug}/signed?lang=en&via=invitation`,
    );
    const done = await t.http().get(signed.headers.location).expect(200);
    expect(done.text).toContain('Your signature is received');
    expect(await signatureOf(petition, 'Торопова Ксения Андреевна')).toMatchObject({
      status: 'verified',
    });

    const used = await t.http().get(`${path}&lang=ru`).expect(200);
    expect(used.text).toContain('По этому приглашению уже подписали.');
    expect(used.text).not.toContain('name="invitation"');
    const bad = await t
      .http()
      .get(`/petitions/${petition.slug}?invitation=nonsense&lang=en`)
      .expect(200);
    expect(bad.text).toContain('This invitation link is not valid for this petition.');
    // The form posted again with the used invitation: the same words, and nothing written.
    const again = await t
      .http()
      .post(`/petitions/${petition.slug}/sign`)
      .type('form')
      .send({
        formToken: /name="formToken" value="([^"]+)"/.exec(bad.text)![1],
        lang: 'en',
        invitation: token,
      })
      .expect(409);
    expect(again.text).toContain('This invitation has already been used to sign.');
  });

  it('sends an invitation mail again when its job failed for good', async () => {
    const { petition, deputy, second } = await setUp();
    smtp.deferRecipients = new RegExp(deputy.replace(/\./g, '\\.'));
    await invite(petition).expect(202);
    await invitationMail(second);
    const { rows } = await t.db.query(
      `SELECT id FROM register_invitations WHERE petition_id = $1 AND full_name = $2`,
      [petition.id, 'Торопова Ксения Андреевна'],
    );
    const queue = t.app.get(JobProducer).queue(JobName.SendInvitationMail);
    await waitFor('the job to fail (one attempt, the server deferring)', async () =>
      (await queue.getJobState(rows[0].id)) === 'failed' ? true : undefined,
    );
    expect(smtp.mailsTo(deputy)).toHaveLength(0);
    // Owed for more than the sweeper's minute.
    await t.db.query(
      `UPDATE register_invitations SET created_at = now() - interval '2 minutes' WHERE id = $1`,
      [rows[0].id],
    );
    smtp.deferRecipients = null;
    const mail = await invitationMail(deputy);
    expect(linkIn(mail)).toContain(`/petitions/${petition.slug}?invitation=`);
    expect(smtp.mailsTo(deputy).filter((m) => m.text.includes('?invitation='))).toHaveLength(1);
  });

  it('has an “Invite the register” action on the organiser’s console page', async () => {
    const { petition, deputy } = await setUp();
    const cookie = await consoleSession(t, smtp, organiser.email);
    const path = `/console/petitions/${petition.id}?lang=en`;
    const page = await t.http().get(path).set('cookie', cookie).expect(200);
    expect(page.text).toContain('Invite the register');
    const res = await t
      .http()
      .post(`/console/petitions/${petition.id}/invitations?lang=en`)
      .set('cookie', cookie)
      .type(FORM)
      .send({ _csrf: await csrfFor(t, cookie, path) })
      .expect(303);
    const after = await t.http().get(res.headers.location).set('cookie', cookie).expect(200);
    expect(after.text).toContain('Invitations sent to 2 people on the register; 0 skipped');
    await invitationMail(deputy);
    // Without a register there is nothing to invite from, and no button.
    const plain = await openPetition(t, organiser, moderator, {});
    const none = await t
      .http()
      .get(`/console/petitions/${plain.id}?lang=en`)
      .set('cookie', cookie)
      .expect(200);
    expect(none.text).not.toContain('Invite the register');
  });

  it('lets only the petition’s organiser or a moderator invite, on an open petition with a register', async () => {
    const { petition, registerId } = await setUp();
    await t.http().post(`/v1/petitions/${petition.id}/invitations`).send({}).expect(401);
    await invite(petition, otherOrganiser).expect(403);
    const wrong = await invite(petition, moderator, {
      registerId: '00000000-0000-4000-8000-00000000abcd',
    }).expect(400);
    expect(wrong.body.details).toEqual([{ field: 'registerId', message: expect.any(String) }]);
    await invite(petition, moderator, { registerId }).expect(202);

    const without = await openPetition(t, organiser, moderator, {});
    expect((await invite(without).expect(409)).body.code).toBe('petition_has_no_register');
    await t.http().post(`/v1/petitions/${petition.id}/close`).set(organiser.auth).expect(200);
    expect((await invite(petition).expect(409)).body.code).toBe('petition_not_open');
  });
});
