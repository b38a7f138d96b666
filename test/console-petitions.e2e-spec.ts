import { AccountRole } from '../src/accounts/account-role.js';
import { consoleSession, csrfFor, FORM } from './support/console.js';
import {
  createAccount,
  createPetition,
  openPetition,
  type PetitionBody,
  type TestAccount,
} from './support/factories.js';
import { SmtpSink } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

const NO_CONFIRMATION_WARNING =
  'Without email confirmation, anyone who knows an address can find out whether it signed, by signing with it and watching the counts.';
const PETITION_PAGE = /^\/console\/petitions\/([0-9a-f-]{36})\?lang=en&done=created$/;

/**
 * The console's petition pages over HTTP, as a browser without JavaScript uses them: the
 * organiser's form with the API's rules, submitting, the moderators' decision, importing a CSV
 * with bad rows, the export, signers' comments (never public), who gets 404, and that no form
 * changes anything without its anti-forgery token.
 */
describe('console petitions', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let organiser: TestAccount;
  let otherOrganiser: TestAccount;
  let moderator: TestAccount;
  let mine: string;
  let theirs: string;
  let moderating: string;

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({
      env: { SMTP_URL: smtp.url, RATE_LIMIT_SIGN_IN: '100/900', SOURCE_BURST_LIMIT: '100000' },
    });
    organiser = await createAccount(t, AccountRole.Organiser);
    otherOrganiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
    mine = await consoleSession(t, smtp, organiser.email);
    theirs = await consoleSession(t, smtp, otherOrganiser.email);
    moderating = await consoleSession(t, smtp, moderator.email);
    for (const cookie of [mine, theirs, moderating]) csrf.set(cookie, await csrfFor(t, cookie));
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  const page = (path: string, cookie: string) => t.http().get(path).set('cookie', cookie);
  /** Each session's anti-forgery token, as its pages' forms carry it. */
  const csrf = new Map<string, string>();
  const post = (path: string, cookie: string, fields: Record<string, string> = {}) =>
    t
      .http()
      .post(path)
      .set('cookie', cookie)
      .type(FORM)
      .send({ _csrf: csrf.get(cookie)!, ...fields });
  const upload = (path: string, cookie: string, csv: string, withToken = true) => {
    const req = t.http().post(path).set('cookie', cookie);
    if (withToken) req.field('_csrf', csrf.get(cookie)!);
    return req.attach('file', Buffer.from(csv, 'utf8'), {
      filename: 'signatures.csv',
      contentType: 'text/csv',
    });
  };
  const petitionRow = async (id: string) =>
    (await t.db.query('SELECT * FROM petitions WHERE id = $1', [id])).rows[0] as
      Record<string, unknown> | undefined;
  const petitionCount = async (organiserId: string) =>
    (
      await t.db.query('SELECT count(*)::int AS n FROM petitions WHERE organiser_id = $1', [
        organiserId,
      ])
    ).rows[0].n as number;
  const signatureCount = async (petitionId: string) =>
    (
      await t.db.query('SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1', [
        petitionId,
      ])
    ).rows[0].n as number;

  const goodForm = (overrides: Record<string, string> = {}) => ({
    title: `Light the riverside path ${Math.random().toString(36).slice(2, 7)}`,
    body: 'We ask the council to light the riverside path.\n\nIt is dark from four o’clock.',
    addressee: 'The City Council',
    signatureGoal: '500',
    closesAt: '',
    requireEmailConfirmation: 'true',
    registerId: '',
    eligibility: 'review',
    language: 'en',
    ...overrides,
  });

  /** The form with its checkbox unticked: a browser then does not send the field at all. */
  const unticked = (form: Record<string, string>) => {
    const { requireEmailConfirmation: _unticked, ...rest } = form;
    return rest;
  };

  /** Creates a draft through the console form and returns its id. */
  async function createInConsole(overrides: Record<string, string> = {}): Promise<string> {
    const res = await post('/console/petitions/new?lang=en', mine, goodForm(overrides)).expect(303);
    const match = PETITION_PAGE.exec(res.headers.location);
    if (!match) throw new Error(`unexpected redirect ${res.headers.location}`);
    return match[1];
  }

  it('keeps a form with a bad title: the message next to it, the other values kept, nothing written', async () => {
    const before = await petitionCount(organiser.id);
    const res = await post(
      '/console/petitions/new?lang=en',
      mine,
      unticked(
        goodForm({ title: 'Hi', addressee: 'The <Mayor> & council', closesAt: '2001-01-01T10:00' }),
      ),
    ).expect(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('<a href="#title">Title must be at least 5 characters</a>');
    expect(res.text).toMatch(
      /<span class="error-message" id="title-error">Title must be at least 5 characters<\/span>/,
    );
    expect(res.text).toContain('Closing time (UTC) must be in the future');
    expect(res.text).toContain('value="Hi"');
    expect(res.text).toContain('value="The &lt;Mayor> &amp; council"');
    expect(res.text).toContain('value="500"');
    expect(res.text).toContain('It is dark from four o’clock.</textarea>');
    // The unticked box stays unticked.
    expect(res.text).toMatch(
      /<input type="checkbox" id="requireEmailConfirmation"[^>]*value="true"(?![^>]*checked)/,
    );
    expect(await petitionCount(organiser.id)).toBe(before);

    const ru = await post('/console/petitions/new?lang=ru', mine, goodForm({ title: 'Hi' })).expect(
      400,
    );
    expect(ru.text).toContain('Поле «Заголовок» должно быть не короче 5 символов');
    const goal = await post(
      '/console/petitions/new?lang=en',
      mine,
      goodForm({ signatureGoal: 'lots' }),
    ).expect(400);
    expect(goal.text).toContain('Signature goal must be a whole number from 1 to 100,000,000');
    expect(await petitionCount(organiser.id)).toBe(before);
  });

  it('creates a draft with the form’s fields, and lists it with its counts', async () => {
    const id = await createInConsole({
      title: 'Plant trees on Sadovaya street',
      signatureGoal: '1 000',
      closesAt: '2031-05-01T12:30',
      language: 'ru',
    });
    const row = await petitionRow(id);
    expect(row).toMatchObject({
      title: 'Plant trees on Sadovaya street',
      status: 'draft',
      signature_goal: 1000,
      require_email_confirmation: true,
      language: 'ru',
      organiser_id: organiser.id,
    });
    expect((row!.closes_at as Date).toISOString()).toBe('2031-05-01T12:30:00.000Z');
    const shown = await page(`/console/petitions/${id}?lang=en&done=created`, mine).expect(200);
    expect(shown.text).toContain('The draft is saved.');
    expect(shown.text).not.toContain(NO_CONFIRMATION_WARNING);
    const list = await page('/console/petitions?lang=en', mine).expect(200);
    expect(list.text).toContain(`href="/console/petitions/${id}?lang=en"`);
    expect(list.text).toContain('Draft');
    expect(list.text).toContain('<dt>Being checked</dt>');
    const other = await page('/console/petitions?lang=en', theirs).expect(200);
    expect(other.text).not.toContain(id);
  });

  it('warns, in the console and in the API’s answer, when signers need not confirm their email', async () => {
    const res = await post('/console/petitions/new?lang=en', mine, unticked(goodForm())).expect(
      303,
    );
    const id = PETITION_PAGE.exec(res.headers.location)![1];
    expect((await petitionRow(id))!.require_email_confirmation).toBe(false);
    const en = await page(`/console/petitions/${id}?lang=en&done=created`, mine).expect(200);
    expect(en.text).toContain(NO_CONFIRMATION_WARNING);
    const ru = await page(`/console/petitions/${id}?lang=ru`, mine).expect(200);
    expect(ru.text).toContain('Без подтверждения по почте любой, кто знает адрес');

    const api = await t
      .http()
      .post('/v1/petitions')
      .set(organiser.auth)
      .send({ title: 'No confirmation here', body: 'Text.', addressee: 'Someone' })
      .expect(201);
    expect(api.body.warnings).toEqual([]);
    const warned = await t
      .http()
      .post('/v1/petitions')
      .set(organiser.auth)
      .send({
        title: 'No confirmation here',
        body: 'Text.',
        addressee: 'Someone',
        requireEmailConfirmation: false,
      })
      .expect(201);
    expect(warned.body.warnings).toEqual([NO_CONFIRMATION_WARNING]);
    // Only the create answer carries warnings; reading the petition is as before.
    const read = await t.http().get(`/v1/petitions/${warned.body.id}`).set(organiser.auth);
    expect(read.body.warnings).toBeUndefined();
  });

  it('edits a draft, submits it, and then refuses to edit it (409) without changing it', async () => {
    const id = await createInConsole();
    const form = await page(`/console/petitions/${id}/edit?lang=en`, mine).expect(200);
    expect(form.text).toContain('value="500"');
    await post(`/console/petitions/${id}/edit?lang=en`, mine, {
      ...goodForm({ title: 'Light the whole riverside path', signatureGoal: '' }),
    })
      .expect(303)
      .expect('location', `/console/petitions/${id}?lang=en&done=saved`);
    expect(await petitionRow(id)).toMatchObject({
      title: 'Light the whole riverside path',
      signature_goal: null,
    });
    const blank = await post(`/console/petitions/${id}/edit?lang=en`, mine, {
      ...goodForm({ body: '   ' }),
    }).expect(400);
    expect(blank.text).toContain('Text of the petition is required');

    await post(`/console/petitions/${id}/submit?lang=en`, mine)
      .expect(303)
      .expect('location', `/console/petitions/${id}?lang=en&done=submitted`);
    expect((await petitionRow(id))!.status).toBe('submitted');

    const again = await page(`/console/petitions/${id}/edit?lang=en`, mine).expect(409);
    expect(again.text).toContain('The petition is now “Awaiting approval”');
    await post(`/console/petitions/${id}/edit?lang=en`, mine, goodForm()).expect(409);
    await post(`/console/petitions/${id}/submit?lang=en`, mine).expect(409);
    expect((await petitionRow(id))!.title).toBe('Light the whole riverside path');
  });

  it('lets a moderator approve a submitted petition, listed first; a decided one is a 409', async () => {
    const id = await createInConsole({ title: 'Open the school yard at weekends' });
    await post(`/console/petitions/${id}/submit?lang=en`, mine).expect(303);
    const list = await page('/console/petitions?lang=en', moderating).expect(200);
    const awaiting = list.text.indexOf('Awaiting approval</h2>');
    const others = list.text.indexOf('Other petitions</h2>');
    expect(awaiting).toBeGreaterThan(0);
    expect(list.text.indexOf(`/console/petitions/${id}?`)).toBeGreaterThan(awaiting);
    expect(list.text.indexOf(`/console/petitions/${id}?`)).toBeLessThan(others);

    const shown = await page(`/console/petitions/${id}?lang=en`, moderating).expect(200);
    expect(shown.text).toContain('Approve and open it');
    const noReason = await post(`/console/petitions/${id}/decision?lang=en`, moderating, {
      decision: 'reject',
      reasonCode: '',
      note: 'Keep this note',
    }).expect(400);
    expect(noReason.text).toContain('<a href="#reasonCode">Choose the reason for rejecting it</a>');
    expect(noReason.text).toContain('Keep this note</textarea>');
    expect((await petitionRow(id))!.status).toBe('submitted');

    await post(`/console/petitions/${id}/decision?lang=en`, moderating, { decision: 'approve' })
      .expect(303)
      .expect('location', `/console/petitions/${id}?lang=en&done=approved`);
    const row = await petitionRow(id);
    expect(row!.status).toBe('open');
    const again = await post(`/console/petitions/${id}/decision?lang=en`, moderating, {
      decision: 'approve',
    }).expect(409);
    expect(again.text).toContain('The petition is now “Open”');
    const organiserView = await page(`/console/petitions/${id}?lang=en`, mine).expect(200);
    expect(organiserView.text).toContain(`href="/petitions/${row!.slug as string}?lang=en"`);
    expect(organiserView.text).toContain('Close the petition');
    expect(organiserView.text).not.toContain('Approve and open it');
    // An organiser has no decision to make: the moderators' form answers 404.
    await post(`/console/petitions/${id}/decision?lang=en`, mine, { decision: 'approve' }).expect(
      404,
    );
  });

  it('imports a CSV with two bad rows: each shown with its row number and reason, the good rows written', async () => {
    const petition = await openPetition(t, organiser, moderator);
    const csv = [
      'fullName,email,district',
      'Anna Importova,anna.import@example.org,North',
      ',nobody@example.org,North',
      'Boris Importov,,South',
      'Vera Importova,not-an-email,South',
      'Gleb Importov,gleb.import@example.org,',
    ].join('\n');
    const res = await upload(`/console/petitions/${petition.id}/import?lang=en`, mine, csv).expect(
      303,
    );
    const report = res.headers.location as string;
    expect(report).toMatch(
      new RegExp(`^/console/petitions/${petition.id}/import/[A-Za-z0-9_-]{22}\\?lang=en$`),
    );
    const shown = await page(report, mine).expect(200);
    expect(shown.text).toContain('3 rows imported.');
    expect(shown.text).toContain('2 rows were not imported');
    expect(shown.text).toMatch(
      /<th scope="row" class="num">2<\/th><td>Full name \(fullName\) is required<\/td>/,
    );
    expect(shown.text).toMatch(
      /<th scope="row" class="num">4<\/th><td>Email address \(email\) must be an email address, like name@example.org<\/td>/,
    );
    const ru = await page(report.replace('lang=en', 'lang=ru'), mine).expect(200);
    expect(ru.text).toContain('<td>Поле «Имя (fullName)» нужно заполнить</td>');
    const { rows } = await t.db.query(
      `SELECT full_name, origin FROM signatures WHERE petition_id = $1 ORDER BY full_name`,
      [petition.id],
    );
    expect(rows).toEqual([
      { full_name: 'Anna Importova', origin: 'import' },
      { full_name: 'Boris Importov', origin: 'import' },
      { full_name: 'Gleb Importov', origin: 'import' },
    ]);
    // Reading the result again imports nothing again, and it is its maker's only.
    await page(report, mine).expect(200);
    expect(await signatureCount(petition.id)).toBe(3);
    const byModerator = await page(report, moderating).expect(200);
    expect(byModerator.text).toContain('This import result is no longer available');

    const badHeader = await upload(
      `/console/petitions/${petition.id}/import?lang=en`,
      mine,
      'name,email\nZoya,zoya@example.org',
    ).expect(400);
    expect(badHeader.text).toContain(
      'The file has a column “name”; the columns may be fullName, email, district and title',
    );
    expect(badHeader.text).toContain('<a href="#file">');
    const latin1 = await t
      .http()
      .post(`/console/petitions/${petition.id}/import?lang=en`)
      .set('cookie', mine)
      .field('_csrf', csrf.get(mine)!)
      .attach('file', Buffer.from('fullName\nJos\xe9\n', 'latin1'), 'old.csv')
      .expect(400);
    expect(latin1.text).toContain('The file must be saved as UTF-8 text');
    expect(await signatureCount(petition.id)).toBe(3);
  });

  it('downloads the verified CSV with the API’s headers and rows', async () => {
    const petition = await openPetition(t, organiser, moderator);
    await upload(
      `/console/petitions/${petition.id}/import?lang=en`,
      mine,
      'fullName,district,title\nLev Exportov,=1+2,Member\n',
    ).expect(303);
    await waitFor('the imported signature verified', async () => {
      const { rows } = await t.db.query(
        `SELECT 1 FROM signatures WHERE petition_id = $1 AND status = 'verified'`,
        [petition.id],
      );
      return rows.length === 1 ? true : undefined;
    });
    const res = await page(`/console/petitions/${petition.id}/signatures.csv`, mine).expect(200);
    const api = await t
      .http()
      .get(`/v1/petitions/${petition.id}/signatures.csv`)
      .set(organiser.auth)
      .expect(200);
    expect(res.headers['content-type']).toBe(api.headers['content-type']);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="${petition.slug}-verified.csv"`,
    );
    expect(res.headers['content-disposition']).toBe(api.headers['content-disposition']);
    expect(res.text).toBe(api.text);
    expect(res.text.split('\n')[0]).toBe('fullName,district,title,verifiedAt');
    expect(res.text).toContain("Lev Exportov,'=1+2,Member,");
    await page(`/console/petitions/${petition.id}/signatures.csv`, moderating).expect(200);
  });

  it('shows signers’ comments to the organiser and a moderator, and in no public page or list', async () => {
    const petition = await openPetition(t, organiser, moderator, {
      requireEmailConfirmation: false,
    });
    const comment = 'Please light the bridge too, it is where it is darkest';
    await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures`)
      .send({
        fullName: 'Olga Commentova',
        email: 'olga.comment@example.org',
        displayPublicly: true,
        comment,
      })
      .expect(202);
    await waitFor('the signature verified', async () => {
      const r = await t.http().get(`/v1/petitions/${petition.id}/counts`);
      return r.body.verified === 1 ? true : undefined;
    });
    for (const cookie of [mine, moderating]) {
      const shown = await page(`/console/petitions/${petition.id}?lang=en`, cookie).expect(200);
      expect(shown.text).toContain(comment);
      expect(shown.text).toContain('Olga Commentova');
    }
    const publicPage = await t.http().get(`/petitions/${petition.slug}?lang=en`).expect(200);
    expect(publicPage.text).toContain('Olga Commentova'); // listed, as she chose
    expect(publicPage.text).not.toContain(comment);
    for (const path of [
      `/v1/petitions/${petition.id}`,
      `/v1/petitions/${petition.id}/signatures`,
      '/v1/petitions',
      '/',
    ]) {
      const res = await t.http().get(path).expect(200);
      expect(res.text).not.toContain('light the bridge');
    }
    const api = await t
      .http()
      .get(`/v1/petitions/${petition.id}/comments`)
      .set(organiser.auth)
      .expect(200);
    expect(api.body.nextCursor).toBeNull();
    expect(api.body.items).toEqual([
      { fullName: 'Olga Commentova', comment, status: 'verified', createdAt: expect.any(String) },
    ]);
    await t.http().get(`/v1/petitions/${petition.id}/comments`).expect(401);
    await t
      .http()
      .get(`/v1/petitions/${petition.id}/comments`)
      .set(otherOrganiser.auth)
      .expect(403);
    await t.http().get(`/v1/petitions/${petition.id}/comments`).set(moderator.auth).expect(200);

    // A comment on a signature nobody confirmed is not shown: it would tell who had signed.
    const confirmed = await openPetition(t, organiser, moderator);
    await t
      .http()
      .post(`/v1/petitions/${confirmed.id}/signatures`)
      .send({ fullName: 'Pavel Unconfirmed', email: 'pavel@example.org', comment: 'not yet' })
      .expect(202);
    const waiting = await page(`/console/petitions/${confirmed.id}?lang=en`, mine).expect(200);
    expect(waiting.text).not.toContain('Pavel Unconfirmed');
    expect(waiting.text).toContain('No signer has left a comment yet.');
  });

  it('closes an open petition after asking once more; a closed one takes no import (409)', async () => {
    const petition = await openPetition(t, organiser, moderator);
    const ask = await page(`/console/petitions/${petition.id}/close?lang=en`, mine).expect(200);
    expect(ask.text).toContain('A closed petition cannot be opened again.');
    await post(`/console/petitions/${petition.id}/close?lang=en`, mine, { note: 'Enough names.' })
      .expect(303)
      .expect('location', `/console/petitions/${petition.id}?lang=en&done=closed`);
    expect((await petitionRow(petition.id))!.status).toBe('closed');
    const shown = await page(`/console/petitions/${petition.id}?lang=en&done=closed`, mine);
    expect(shown.text).toContain('The petition is closed. It no longer takes signatures.');
    expect(shown.text).not.toContain('enctype="multipart/form-data"');
    const late = await upload(
      `/console/petitions/${petition.id}/import?lang=en`,
      mine,
      'fullName\nLate Signer\n',
    ).expect(409);
    expect(late.text).toContain('The petition is not open');
    await page(`/console/petitions/${petition.id}/close?lang=en`, mine).expect(409);
    expect(await signatureCount(petition.id)).toBe(0);

    // A draft whose closing time has passed says what to do before it can be submitted.
    const draft = await createInConsole({ closesAt: '2031-01-01T00:00' });
    await t.db.query(`UPDATE petitions SET closes_at = now() - interval '1 hour' WHERE id = $1`, [
      draft,
    ]);
    const stale = await post(`/console/petitions/${draft}/submit?lang=en`, mine).expect(409);
    expect(stale.text).toContain('Its closing time has passed.');
    expect((await petitionRow(draft))!.status).toBe('draft');
  });

  it('answers another organiser 404 on a petition’s page and every one of its forms', async () => {
    const draft = await createPetition(t, organiser);
    const open: PetitionBody = await openPetition(t, organiser, moderator);
    for (const p of [draft, open]) {
      const base = `/console/petitions/${p.id}`;
      for (const path of [base, `${base}/edit`, `${base}/close`, `${base}/signatures.csv`]) {
        await page(`${path}?lang=en`, theirs).expect(404);
      }
      await page(`${base}/import/AAAAAAAAAAAAAAAAAAAAAA`, theirs).expect(404);
      for (const path of ['edit', 'submit', 'copy', 'close']) {
        await post(`${base}/${path}?lang=en`, theirs, path === 'edit' ? goodForm() : {}).expect(
          404,
        );
      }
      await upload(`${base}/import?lang=en`, theirs, 'fullName\nIntruder Person\n').expect(404);
    }
    expect((await petitionRow(draft.id))!.status).toBe('draft');
    expect((await petitionRow(open.id))!.status).toBe('open');
    expect(await signatureCount(open.id)).toBe(0);
  });

  it('refuses a form without its anti-forgery field (403) and changes nothing', async () => {
    const before = await petitionCount(organiser.id);
    const bare = (path: string, cookie: string, fields: Record<string, string>) =>
      t.http().post(path).set('cookie', cookie).type(FORM).send(fields);
    const refused = await bare('/console/petitions/new?lang=en', mine, goodForm()).expect(403);
    expect(refused.text).toContain('Nothing was changed');
    expect(await petitionCount(organiser.id)).toBe(before);

    const draft = await createPetition(t, organiser);
    await bare(`/console/petitions/${draft.id}/submit`, mine, {}).expect(403);
    await bare(`/console/petitions/${draft.id}/edit`, mine, goodForm()).expect(403);
    expect(await petitionRow(draft.id)).toMatchObject({ status: 'draft', title: draft.title });

    const submitted = await createPetition(t, organiser);
    await t.http().post(`/v1/petitions/${submitted.id}/submit`).set(organiser.auth).expect(200);
    await bare(`/console/petitions/${submitted.id}/decision`, moderating, {
      decision: 'approve',
    }).expect(403);
    expect((await petitionRow(submitted.id))!.status).toBe('submitted');

    const open = await openPetition(t, organiser, moderator);
    await bare(`/console/petitions/${open.id}/close`, mine, {}).expect(403);
    await upload(
      `/console/petitions/${open.id}/import`,
      mine,
      'fullName\nNo Token\n',
      false,
    ).expect(403);
    expect((await petitionRow(open.id))!.status).toBe('open');
    expect(await signatureCount(open.id)).toBe(0);
  });

  it('shows a rejected petition’s reason, copies it into a new draft, and submits that again', async () => {
    const id = await createInConsole({ title: 'Rename the square', signatureGoal: '250' });
    await post(`/console/petitions/${id}/submit?lang=en`, mine).expect(303);
    await post(`/console/petitions/${id}/decision?lang=en`, moderating, {
      decision: 'reject',
      reasonCode: 'unclear',
      note: 'Say which square, and to whom you write.',
    })
      .expect(303)
      .expect('location', `/console/petitions/${id}?lang=en&done=rejected`);

    const shown = await page(`/console/petitions/${id}?lang=en`, mine).expect(200);
    expect(shown.text).toContain('This petition was rejected');
    expect(shown.text).toContain(
      'It is too unclear to sign: the addressee or the demand is missing',
    );
    expect(shown.text).toContain('Say which square, and to whom you write.');
    const ru = await page(`/console/petitions/${id}?lang=ru`, mine).expect(200);
    expect(ru.text).toContain('Слишком неясна, чтобы её подписывать');

    const copied = await post(`/console/petitions/${id}/copy?lang=en`, mine).expect(303);
    const match = /^\/console\/petitions\/([0-9a-f-]{36})\/edit\?lang=en&copied=1$/.exec(
      copied.headers.location,
    );
    expect(match).not.toBeNull();
    const copyId = match![1];
    expect(copyId).not.toBe(id);
    const original = await petitionRow(id);
    const copy = await petitionRow(copyId);
    expect(copy).toMatchObject({
      status: 'draft',
      title: original!.title,
      body: original!.body,
      addressee: original!.addressee,
      signature_goal: 250,
      require_email_confirmation: original!.require_email_confirmation,
      language: original!.language,
      organiser_id: organiser.id,
    });
    expect(original!.status).toBe('rejected');
    const edit = await page(copied.headers.location, mine).expect(200);
    expect(edit.text).toContain('This is a new draft with the text and settings');
    await post(`/console/petitions/${copyId}/submit?lang=en`, mine).expect(303);
    expect((await petitionRow(copyId))!.status).toBe('submitted');
    // Only a rejected petition is copied.
    await post(`/console/petitions/${copyId}/copy?lang=en`, mine).expect(409);
  });

  it('documents the comments endpoint and the create answer’s warnings', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    expect(res.body.paths['/v1/petitions/{idOrSlug}/comments'].get).toBeDefined();
    expect(res.body.components.schemas.CreatedPetitionResponse.properties.warnings).toMatchObject({
      type: 'array',
    });
  });
});
