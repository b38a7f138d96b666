import { AccountRole } from '../src/accounts/account-role.js';
import { CountHistoryService } from '../src/counts/count-history.service.js';
import { createAccount, openPetition, type TestAccount } from './support/factories.js';
import { SmtpSink, tokenFrom } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

const FORM = 'application/x-www-form-urlencoded';

/** The hidden anti-forgery field of a rendered sign form. */
function formTokenOf(html: string): string {
  const match = /name="formToken" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no formToken in the page');
  return match[1];
}

/**
 * The pages over plain HTTP, as a browser without JavaScript uses them: what they show, the
 * sign form's rules (anti-forgery, validation, repeats), the signer's pages, their headers, and
 * that the JSON API still refuses form bodies. The browser specs drive the same pages in Chromium.
 */
describe('web pages', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let organiser: TestAccount;
  let moderator: TestAccount;

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({ env: { SMTP_URL: smtp.url, SOURCE_BURST_LIMIT: '100000' } });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  async function signatureRows(petitionId: string): Promise<number> {
    const { rows } = await t.db.query(
      'SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1',
      [petitionId],
    );
    return rows[0].n as number;
  }

  async function formFor(slug: string): Promise<string> {
    const page = await t.http().get(`/petitions/${slug}`).expect(200);
    return formTokenOf(page.text);
  }

  /** Posts the sign form as a browser would, with a token from a freshly loaded page. */
  async function signForm(slug: string, fields: Record<string, string>, status: number) {
    return t
      .http()
      .post(`/petitions/${slug}/sign`)
      .type(FORM)
      .send({ formToken: await formFor(slug), ...fields })
      .expect(status);
  }

  it('lists open petitions with their counts, and shows drafts nowhere', async () => {
    const open = await openPetition(t, organiser, moderator, {
      title: 'Keep the library open late',
    });
    const draft = await t
      .http()
      .post('/v1/petitions')
      .set(organiser.auth)
      .send({ title: 'A draft nobody may see', body: 'Draft text.', addressee: 'Nobody' })
      .expect(201);
    const home = await t.http().get('/?lang=en').expect(200);
    expect(home.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(home.text).toContain(`href="/petitions/${open.slug}?lang=en"`);
    expect(home.text).toContain('0 verified signatures');
    expect(home.text).not.toContain('A draft nobody may see');
    await t.http().get(`/petitions/${draft.body.slug}`).expect(404);
  });

  it('renders what the organiser wrote as text, never as HTML', async () => {
    const petition = await openPetition(t, organiser, moderator, {
      title: '<script>alert(1)</script> in the title',
      body: 'First paragraph with <b>tags</b>.\n\nSecond paragraph & more.',
      addressee: '"The Mayor" <img src=x onerror=alert(1)>',
    });
    const page = await t.http().get(`/petitions/${petition.slug}`).expect(200);
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('&lt;script>alert(1)&lt;/script> in the title');
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).toContain('<p>First paragraph with &lt;b>tags&lt;/b>.</p>');
    expect(page.text).toContain('<p>Second paragraph &amp; more.</p>');
  });

  it('sends the page with a strict policy, no cookie and no Referer', async () => {
    const petition = await openPetition(t, organiser, moderator);
    const page = await t.http().get(`/petitions/${petition.slug}`).expect(200);
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.text).not.toMatch(/<script>|<style|style="|https?:\/\/(?!www\.w3\.org)/);
    // The stylesheet and the script it names are served, cacheable for good; all of it, the
    // page included, weighs under 50 KB.
    let weight = Buffer.byteLength(page.text);
    const assets = page.text.match(/\/assets\/[a-z]+\.[0-9a-f]+\.(css|js)/g) ?? [];
    expect(assets).toHaveLength(2);
    for (const asset of assets) {
      const res = await t.http().get(asset).buffer(true).expect(200);
      expect(res.headers['cache-control']).toContain('immutable');
      weight += Number(res.headers['content-length']);
    }
    expect(weight).toBeLessThan(50_000);
  });

  it('signs through the form, then confirms through the mailed link and its button', async () => {
    const petition = await openPetition(t, organiser, moderator);
    const res = await signForm(
      petition.slug,
      {
        lang: 'en',
        fullName: 'Vera Pagetest',
        email: 'vera.pagetest@example.test',
        district: 'North',
        displayPublicly: 'true',
      },
      303,
    );
    expect(res.headers.location).toBe(`/petitions/${petition.slug}/signed?lang=en`);
    const signed = await t.http().get(res.headers.location).expect(200);
    expect(signed.text).toContain('Check your email');

    const mail = await waitFor('the confirmation mail', async () =>
      smtp.mailsTo('vera.pagetest@example.test').at(0),
    );
    const token = tokenFrom(mail);
    const confirmPage = await t.http().get(`/signatures/confirm?token=${token}`).expect(200);
    expect(confirmPage.text).toContain(petition.title as string);
    expect(confirmPage.text).toContain('<form method="post" action="/signatures/confirm">');
    // Opening the link changed nothing.
    const { rows } = await t.db.query('SELECT status FROM signatures WHERE petition_id = $1', [
      petition.id,
    ]);
    expect(rows.map((r) => r.status)).toEqual(['unconfirmed']);

    const done = await t
      .http()
      .post('/signatures/confirm')
      .type(FORM)
      .send({ token, lang: 'en' })
      .expect(200);
    expect(done.text).toContain('your signature is confirmed');
    const again = await t.http().post('/signatures/confirm').type(FORM).send({ token }).expect(200);
    expect(again.text).toContain('Nothing changed');
    expect(again.text).not.toContain('your signature is confirmed');

    await waitFor('the signature to be verified', async () => {
      const status = await t.http().get(`/signatures/status?token=${token}&lang=en`).expect(200);
      return status.text.includes('Verified and counted.') ? true : undefined;
    });
    const after = await waitFor('the page to show it verified', async () => {
      const page = await t.http().get(`/petitions/${petition.slug}?lang=en`).expect(200);
      return page.text.includes('Vera Pagetest') ? page.text : undefined;
    });
    expect(after).toMatch(/data-count="verified">1</);
  });

  it('answers a repeat signature with the identical redirect and page, and writes nothing more', async () => {
    const petition = await openPetition(t, organiser, moderator);
    const fields = { lang: 'en', fullName: 'Rita Repeat', email: 'rita.repeat@example.test' };
    const first = await t
      .http()
      .post(`/petitions/${petition.slug}/sign`)
      .type(FORM)
      .send({ ...fields, formToken: await formFor(petition.slug) })
      .expect(303);
    const second = await t
      .http()
      .post(`/petitions/${petition.slug}/sign`)
      .type(FORM)
      .send({ ...fields, formToken: await formFor(petition.slug) })
      .expect(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect(second.text).toBe(first.text);
    expect(await signatureRows(petition.id)).toBe(1);
  });

  it('shows a bad field again with its message, keeping the other values, and writes nothing', async () => {
    const petition = await openPetition(t, organiser, moderator);
    const res = await signForm(
      petition.slug,
      {
        lang: 'en',
        fullName: 'Boris Badmail',
        email: 'not-an-address',
        comment: 'Kept as typed',
      },
      400,
    );
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('<a href="#email">Email address must be an email address');
    expect(res.text).toContain('id="email-error"');
    expect(res.text).toContain('value="Boris Badmail"');
    expect(res.text).toContain('value="not-an-address"');
    expect(res.text).toContain('Kept as typed</textarea>');
    expect(await signatureRows(petition.id)).toBe(0);

    const ru = await signForm(
      petition.slug,
      {
        lang: 'ru',
        fullName: '',
        email: 'x@example.test',
      },
      400,
    );
    expect(ru.text).toContain('<html lang="ru">');
    expect(ru.text).toContain('Поле «Фамилия, имя и отчество» нужно заполнить');
  });

  it('refuses a form without its anti-forgery field, or with another petition’s, and writes nothing', async () => {
    const petition = await openPetition(t, organiser, moderator);
    const other = await openPetition(t, organiser, moderator);
    const fields = { lang: 'en', fullName: 'Fiona Forged', email: 'fiona.forged@example.test' };
    const missing = await t
      .http()
      .post(`/petitions/${petition.slug}/sign`)
      .type(FORM)
      .send(fields)
      .expect(403);
    expect(missing.text).toContain('was not sent from this page');
    expect(missing.text).toContain('value="Fiona Forged"');
    // A fresh token comes with the form, so a real signer can simply send it again.
    expect(formTokenOf(missing.text)).toMatch(/\./);
    await t
      .http()
      .post(`/petitions/${petition.slug}/sign`)
      .type(FORM)
      .send({ ...fields, formToken: await formFor(other.slug) })
      .expect(403);
    expect(await signatureRows(petition.id)).toBe(0);
    expect(smtp.mailsTo('fiona.forged@example.test')).toHaveLength(0);
  });

  it('shows a closed petition with a notice instead of the form, and refuses signing with a 409 page', async () => {
    const petition = await openPetition(t, organiser, moderator);
    const token = await formFor(petition.slug);
    await t
      .http()
      .post(`/v1/petitions/${petition.id}/close`)
      .set(organiser.auth)
      .send({})
      .expect(200);
    // A rendered page is reused for a second, so the notice may take that long to show.
    const page = await waitFor('the closed notice', async () => {
      const res = await t.http().get(`/petitions/${petition.slug}?lang=en`).expect(200);
      return res.text.includes('This petition is closed') ? res.text : undefined;
    });
    expect(page).not.toContain('name="formToken"');
    const res = await t
      .http()
      .post(`/petitions/${petition.slug}/sign`)
      .type(FORM)
      .send({
        formToken: token,
        lang: 'en',
        fullName: 'Carl Closed',
        email: 'carl.closed@example.test',
      })
      .expect(409);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('This petition is closed');
  });

  it('answers a bad token with a page that says so, in the asked language', async () => {
    const bad = await t
      .http()
      .get('/signatures/confirm?token=AAAAAAAAAAAAAAAAAAAAAAAA&lang=ru')
      .expect(404);
    expect(bad.text).toContain('Ссылка недействительна');
    expect(bad.text).not.toMatch(/stack|Error:|validation_failed/);
    await t.http().get('/signatures/status').expect(404);
    await t.http().get('/signatures/withdraw?token=x&token=y').expect(404);
    const unknownPage = await t.http().get('/no/such/page').set('accept', 'text/html').expect(404);
    expect(unknownPage.text).toContain('Page not found');
  });

  it('answers an expired confirmation link with a 410 page, and confirms nothing', async () => {
    const petition = await openPetition(t, organiser, moderator);
    await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures`)
      .send({ fullName: 'Egor Expired', email: 'egor.expired@example.test' })
      .expect(202);
    const mail = await waitFor('the mail', async () =>
      smtp.mailsTo('egor.expired@example.test').at(0),
    );
    const token = tokenFrom(mail);
    await t.db.query(
      `UPDATE signatures SET token_expires_at = now() - interval '1 minute' WHERE petition_id = $1`,
      [petition.id],
    );
    const page = await t.http().get(`/signatures/confirm?token=${token}&lang=en`).expect(410);
    expect(page.text).toContain('This link has expired');
    const post = await t
      .http()
      .post('/signatures/confirm')
      .type(FORM)
      .send({ token, lang: 'en' })
      .expect(410);
    expect(post.text).toContain('This link has expired');
    const { rows } = await t.db.query('SELECT status FROM signatures WHERE petition_id = $1', [
      petition.id,
    ]);
    expect(rows[0].status).toBe('unconfirmed');
  });

  it('withdraws through the mailed link, and says so', async () => {
    const petition = await openPetition(t, organiser, moderator, {
      requireEmailConfirmation: false,
    });
    await signForm(
      petition.slug,
      {
        lang: 'ru',
        fullName: 'Вера Отзывная',
        email: 'vera.withdraw@example.test',
      },
      303,
    );
    const mail = await waitFor('the receipt', async () =>
      smtp.mailsTo('vera.withdraw@example.test').at(0),
    );
    const token = tokenFrom(mail, 'withdraw');
    const page = await t.http().get(`/signatures/withdraw?token=${token}`).expect(200);
    // The signer signed on the Russian page, so their pages speak Russian.
    expect(page.text).toContain('<html lang="ru">');
    expect(page.text).toContain('Отозвать подпись');
    const done = await t.http().post('/signatures/withdraw').type(FORM).send({ token }).expect(200);
    expect(done.text).toContain('Подпись отозвана');
    const status = await t.http().get(`/signatures/status?token=${token}&lang=en`).expect(200);
    expect(status.text).toContain('Withdrawn: it is not counted.');
    expect(status.text).not.toContain('action="/signatures/withdraw"');
  });

  it('records the counts for the chart only when they change, and draws the chart from them', async () => {
    const petition = await openPetition(t, organiser, moderator, {
      requireEmailConfirmation: false,
    });
    const history = t.app.get(CountHistoryService);
    const snapshots = async () =>
      (
        await t.db.query(
          'SELECT verified, being_checked FROM petition_count_snapshots WHERE petition_id = $1 ORDER BY at',
          [petition.id],
        )
      ).rows.map((r) => [Number(r.verified), Number(r.being_checked)]);
    for (const [i, name] of ['Sasha Snapone', 'Sasha Snaptwo'].entries()) {
      await t
        .http()
        .post(`/v1/petitions/${petition.id}/signatures`)
        .send({ fullName: name, email: `snap${i}@example.test` })
        .expect(202);
      await waitFor('the verification', async () => {
        const counts = await t.http().get(`/v1/petitions/${petition.id}/counts`).expect(200);
        return counts.body.verified === i + 1 ? true : undefined;
      });
      await history.snapshot();
      await history.snapshot(); // nothing changed since: no second row
    }
    expect(await snapshots()).toEqual([
      [1, 0],
      [2, 0],
    ]);
    const page = await t.http().get(`/petitions/${petition.slug}?lang=en`).expect(200);
    const lines = [...page.text.matchAll(/<polyline points="([^"]+)"/g)].map((m) =>
      m[1].split(' '),
    );
    // From zero at the opening, through the last snapshot of each minute (both fall in one
    // here), to now; for each of the two lines.
    expect(lines).toHaveLength(2);
    expect(lines[1]).toHaveLength(3);
    expect(page.text).toContain('2 verified and 0 being checked now');
  });

  it('keeps the JSON API refusing form bodies', async () => {
    const petition = await openPetition(t, organiser, moderator);
    const res = await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures`)
      .type(FORM)
      .send({ fullName: 'Form Body', email: 'form.body@example.test' })
      .expect(415);
    expect(res.body).toMatchObject({ statusCode: 415, code: 'unsupported_media_type' });
    expect(await signatureRows(petition.id)).toBe(0);
  });
});
