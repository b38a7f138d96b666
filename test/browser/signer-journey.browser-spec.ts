import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AccountRole } from '../../src/accounts/account-role.js';
import {
  createAccount,
  openPetition,
  type PetitionBody,
  type TestAccount,
} from '../support/factories.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait.js';
import {
  foreignRequests,
  horizontalOverflow,
  launchBrowser,
  newContext,
  seriousViolations,
} from './support/browser.js';

/**
 * The path of the confirm (or withdraw) link in the last mail to `address`: the signer clicks
 * it, on this test app rather than on PUBLIC_BASE_URL's host.
 */
function linkIn(smtp: SmtpSink, address: string, kind: 'confirm' | 'withdraw'): Promise<string> {
  return waitFor(`the mail to ${address}`, async () => {
    const line = smtp
      .mailsTo(address)
      .at(-1)
      ?.text.split('\n')
      .map((l) => l.trim())
      .find((l) => l.includes(`/signatures/${kind}?token=`));
    if (!line) return undefined;
    const url = new URL(line);
    return `${url.pathname}${url.search}`;
  });
}

/**
 * A signer's journey in Debian's Chromium against the real app, PostgreSQL, Redis and SMTP:
 * with JavaScript off and on, on a desktop and a phone, in English and Russian, checked by
 * axe-core, and with every request watched for one that leaves the origin.
 */
describe('signer journey in a browser', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let browser: Browser;
  let organiser: TestAccount;
  let moderator: TestAccount;
  const contexts: BrowserContext[] = [];
  const foreign: string[] = [];

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({ env: { SMTP_URL: smtp.url, SOURCE_BURST_LIMIT: '100000' } });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
    await smtp?.stop();
  });

  async function open(options: Parameters<typeof newContext>[1] = {}): Promise<Page> {
    const context = await newContext(browser, options);
    contexts.push(context);
    const watched = foreignRequests(context, t.url);
    context.on('close', () => foreign.push(...watched));
    return context.newPage();
  }

  async function petition(overrides: Record<string, unknown> = {}): Promise<PetitionBody> {
    return openPetition(t, organiser, moderator, {
      title: `Keep the river embankment open ${Math.random().toString(36).slice(2, 7)}`,
      body: 'We ask the council to keep the embankment open.\n\nIt is the only green space nearby.',
      signatureGoal: 100,
      ...overrides,
    });
  }

  it('signs, confirms and is counted with JavaScript off', async () => {
    const p = await petition();
    const page = await open({ javaScript: false });
    await page.goto(`${t.url}/?lang=en`);
    await page.getByRole('link', { name: p.title as string }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(p.title);

    await page.getByLabel('Full name').fill('Nina Nojs');
    await page.getByLabel('Email address').fill('nina.nojs@example.test');
    await page.getByRole('textbox', { name: /^District/ }).fill('Riverside');
    await page.getByLabel('Show my name on this page').check();
    await page.getByRole('button', { name: 'Sign the petition' }).click();
    await page.waitForURL(/\/signed\?lang=en$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Check your email');

    await page.goto(t.url + (await linkIn(smtp, 'nina.nojs@example.test', 'confirm')));
    expect(await page.locator('main').textContent()).toContain(p.title as string);
    await page.getByRole('button', { name: 'Confirm my signature' }).click();
    expect(
      await page
        .getByText('Thank you: your signature is confirmed. It is now being checked.')
        .count(),
    ).toBe(1);

    await page.getByRole('link', { name: `Back to “${p.title as string}”` }).click();
    const verified = await waitFor('the petition page to count the signature', async () => {
      await page.reload();
      const count = await page.locator('[data-count="verified"]').textContent();
      return count === '1' ? count : undefined;
    });
    expect(verified).toBe('1');
    expect(await page.locator('.signers').textContent()).toContain('Nina Nojs');
  });

  it('shows a bad email again with its message, the name kept, and a summary that links to it', async () => {
    const p = await petition();
    const page = await open({ javaScript: false });
    await page.goto(`${t.url}/petitions/${p.slug}?lang=en`);
    await page.getByLabel('Full name').fill('Boris Badmail');
    await page.getByLabel('Email address').fill('boris at example');
    await page.getByRole('button', { name: 'Sign the petition' }).click();
    expect(await page.getByRole('heading', { name: 'There is a problem' }).count()).toBe(1);
    expect(await page.getByLabel('Full name').inputValue()).toBe('Boris Badmail');
    expect(await page.getByLabel('Email address').inputValue()).toBe('boris at example');
    await page.getByRole('link', { name: /Email address must be an email address/ }).click();
    expect(page.url()).toMatch(/#email$/);
    const { rows } = await t.db.query(
      'SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1',
      [p.id],
    );
    expect(rows[0].n).toBe(0);
  });

  it('speaks Russian to a Russian browser, and signs in Russian', async () => {
    const p = await petition({ language: 'ru' });
    const page = await open({ javaScript: false, locale: 'ru-RU' });
    await page.goto(`${t.url}/petitions/${p.slug}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    await page.getByLabel('Фамилия, имя и отчество').fill('Анна Тестова');
    await page.getByLabel('Адрес электронной почты').fill('anna.ru@example.test');
    await page.getByRole('button', { name: 'Подписать петицию' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Проверьте почту');
    const mail = await waitFor('the mail', async () => smtp.mailsTo('anna.ru@example.test').at(0));
    expect(mail.subject).toContain('Подтвердите подпись');
    await page.goto(t.url + (await linkIn(smtp, 'anna.ru@example.test', 'confirm')));
    await page.getByRole('button', { name: 'Подтвердить подпись' }).click();
    expect(await page.locator('main').textContent()).toContain('Спасибо: подпись подтверждена');
    // The switch goes to the same page in English.
    await page.getByRole('link', { name: 'English' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });

  it('refuses a form sent without its anti-forgery field, and writes nothing', async () => {
    const p = await petition();
    const page = await open();
    await page.goto(`${t.url}/petitions/${p.slug}?lang=en`);
    await page.locator('input[name="formToken"]').evaluate((input) => input.remove());
    await page.getByLabel('Full name').fill('Fiona Forged');
    await page.getByLabel('Email address').fill('fiona.forged@example.test');
    const [response] = await Promise.all([
      page.waitForResponse((res) => res.url().endsWith('/sign')),
      page.getByRole('button', { name: 'Sign the petition' }).click(),
    ]);
    expect(response.status()).toBe(403);
    expect(await page.locator('.error-summary').textContent()).toContain(
      'was not sent from this page',
    );
    const { rows } = await t.db.query(
      'SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1',
      [p.id],
    );
    expect(rows[0].n).toBe(0);
  });

  it('refreshes the counts without a reload when JavaScript is on', async () => {
    const p = await petition({ requireEmailConfirmation: false });
    const page = await open();
    await page.goto(`${t.url}/petitions/${p.slug}?lang=en`);
    expect(await page.locator('[data-count="beingChecked"]').textContent()).toBe('0');
    // Someone else signs meanwhile, through the API.
    await t
      .http()
      .post(`/v1/petitions/${p.id}/signatures`)
      .send({ fullName: 'Oleg Othertab', email: 'oleg.other@example.test' })
      .expect(202);
    await page.waitForFunction(
      () => document.querySelector('[data-count="verified"]')?.textContent === '1',
      undefined,
      { timeout: 20_000 },
    );
    expect(await page.locator('progress').getAttribute('max')).toBe('100');
  });

  it('has no serious accessibility problem and no sideways scrolling at 375 px, on every page', async () => {
    const p = await petition();
    await t
      .http()
      .post(`/v1/petitions/${p.id}/signatures`)
      .send({ fullName: 'Ada Axe', email: 'ada.axe@example.test' })
      .expect(202);
    const confirm = await linkIn(smtp, 'ada.axe@example.test', 'confirm');
    const status = confirm.replace('/confirm?', '/status?');
    const withdraw = confirm.replace('/confirm?', '/withdraw?');
    const pages = [
      '/?lang=en',
      '/?lang=ru',
      `/petitions/${p.slug}?lang=en`,
      `/petitions/${p.slug}?lang=ru`,
      `/petitions/${p.slug}/signed?lang=en`,
      confirm,
      `${withdraw}&lang=ru`,
      status,
      '/signatures/status?token=AAAAAAAAAAAAAAAAAAAAAAAA',
      '/petitions/no-such-petition',
    ];
    for (const width of [1280, 375]) {
      const page = await open({ width });
      for (const path of pages) {
        await page.goto(`${t.url}${path}`);
        expect({ path, width, violations: await seriousViolations(page) }).toEqual({
          path,
          width,
          violations: [],
        });
        expect({ path, width, overflow: await horizontalOverflow(page) }).toEqual({
          path,
          width,
          overflow: 0,
        });
      }
      // The form sent back with problems, too.
      await page.goto(`${t.url}/petitions/${p.slug}?lang=ru`);
      await page.getByRole('button', { name: 'Подписать петицию' }).click();
      expect(await page.locator('.error-summary').count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
      expect(await horizontalOverflow(page)).toBe(0);
    }
  });

  it('never asked another origin for anything', async () => {
    for (const context of contexts.splice(0)) await context.close();
    expect(foreign).toEqual([]);
  });
});
