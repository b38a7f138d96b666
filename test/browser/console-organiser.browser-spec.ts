import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AccountRole } from '../../src/accounts/account-role.js';
import { createAccount, createPetition, type TestAccount } from '../support/factories.js';
import { signInInBrowser } from './support/console-browser.js';
import { SmtpSink, tokenFrom } from '../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait.js';
import {
  foreignRequests,
  horizontalOverflow,
  launchBrowser,
  newContext,
  seriousViolations,
} from './support/browser.js';

/** Set to a directory to keep a picture of every console page checked (e.g. `/tmp/shots`). */
const SHOTS = process.env.CONSOLE_SCREENSHOTS;

const TITLE = 'Light the riverside path at night';
const CSV = [
  'fullName,email,district',
  'Anna Paperova,anna.paper@example.org,North',
  ',no.name@example.org,North',
  'Boris Paperov,,South',
  'Vera Paperova,not-an-email,South',
].join('\n');

/**
 * An organiser's and a moderator's console in Debian's Chromium with JavaScript off, against the
 * real app, PostgreSQL, Redis and SMTP: signing in through the mailed link, creating and
 * submitting a petition, the moderator approving it in a second browser, importing a CSV file
 * with bad rows; then every console petition page checked by axe-core and for sideways
 * scrolling at 375 px, in English and Russian.
 */
describe('console for organisers in a browser', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let browser: Browser;
  let organiser: TestAccount;
  let moderator: TestAccount;
  const contexts: BrowserContext[] = [];
  const foreign: string[] = [];

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({
      env: { SMTP_URL: smtp.url, RATE_LIMIT_SIGN_IN: '100/900', SOURCE_BURST_LIMIT: '100000' },
    });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
    browser = await launchBrowser();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
    await smtp?.stop();
  });

  async function open(options: Parameters<typeof newContext>[1] = {}): Promise<Page> {
    const context = await newContext(browser, { javaScript: false, ...options });
    contexts.push(context);
    const watched = foreignRequests(context, t.url);
    context.on('close', () => foreign.push(...watched));
    return context.newPage();
  }

  /** Signs in as a person does (see support/console-browser.ts). */
  async function signIn(page: Page, email: string): Promise<void> {
    await signInInBrowser(page, t.url, smtp, email);
  }

  let petitionPath = '';
  let reportPath = '';
  let organiserPage: Page;
  let moderatorPage: Page;

  it('lets an organiser sign in, create a petition and submit it', async () => {
    organiserPage = await open();
    const page = organiserPage;
    await signIn(page, organiser.email);
    await page
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Petitions' })
      .click();
    await page.getByRole('link', { name: 'Create a petition' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Create a petition');

    // A title too short comes back with its message, and what was typed is kept.
    await page.getByLabel('Title').fill('Path');
    await page.getByLabel('Text of the petition').fill('We ask the council to light the path.');
    await page.getByLabel('Addressed to').fill('The City Council');
    await page.getByRole('button', { name: 'Save the draft' }).click();
    expect(await page.getByRole('heading', { name: 'There is a problem' }).count()).toBe(1);
    expect(await page.getByLabel('Addressed to').inputValue()).toBe('The City Council');
    await page.getByRole('link', { name: 'Title must be at least 5 characters' }).click();
    expect(page.url()).toMatch(/#title$/);

    await page.getByLabel('Title').fill(TITLE);
    await page.getByLabel(/^Signature goal/).fill('300');
    await page.getByRole('button', { name: 'Save the draft' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
    expect(await page.getByRole('status').textContent()).toContain('The draft is saved.');
    petitionPath = new URL(page.url()).pathname;
    expect(petitionPath).toMatch(/^\/console\/petitions\/[0-9a-f-]{36}$/);

    await page.getByRole('button', { name: 'Submit for approval' }).click();
    expect(await page.getByRole('status').textContent()).toContain('The petition is submitted.');
    expect(await page.locator('main').textContent()).toContain('Awaiting approval');
  });

  it('lets a moderator, in another browser, approve it', async () => {
    moderatorPage = await open();
    const page = moderatorPage;
    await signIn(page, moderator.email);
    await page.goto(`${t.url}/console/petitions?lang=en`);
    const awaiting = page.getByRole('region', { name: 'Awaiting approval' });
    await awaiting.getByRole('link', { name: TITLE }).click();
    await page.getByRole('button', { name: 'Approve and open it' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Approved');
    expect(await page.getByRole('link', { name: 'See the public page' }).count()).toBe(1);
  });

  it('lets the organiser import a CSV file and shows each bad row', async () => {
    const page = organiserPage;
    await page.goto(`${t.url}${petitionPath}?lang=en`);
    await page.getByLabel('CSV file').setInputFiles({
      name: 'paper-signatures.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CSV, 'utf8'),
    });
    await page.getByRole('button', { name: 'Import the file' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Import result');
    expect(await page.getByRole('status').textContent()).toContain('2 rows imported.');
    const rows = page.getByRole('table').getByRole('row');
    expect(await rows.count()).toBe(3); // the header and two bad rows
    expect(await rows.nth(1).textContent()).toBe('2Full name (fullName) is required');
    expect(await rows.nth(2).textContent()).toBe(
      '4Email address (email) must be an email address, like name@example.org',
    );
    reportPath = new URL(page.url()).pathname;
    await page.getByRole('link', { name: 'Back to the petition' }).click();
    await waitFor('the imported rows counted', async () => {
      await page.reload();
      const checking = await page.locator('[data-count="beingChecked"]').textContent();
      const verified = await page.locator('[data-count="verified"]').textContent();
      return Number(checking) + Number(verified) === 2 ? true : undefined;
    });
  });

  it('has no serious accessibility problem and no sideways scrolling on any console petition page', async () => {
    // A petition in each state, so each page and section is drawn.
    const draft = await createPetition(t, organiser, {
      title: 'A draft without email confirmation',
      requireEmailConfirmation: false,
    });
    const rejected = await createPetition(t, organiser, { title: 'A petition to be rejected' });
    await t.http().post(`/v1/petitions/${rejected.id}/submit`).set(organiser.auth).expect(200);
    await t
      .http()
      .post(`/v1/moderation/petitions/${rejected.id}/decision`)
      .set(moderator.auth)
      .send({ decision: 'reject', reasonCode: 'unclear', note: 'Say which path.' })
      .expect(200);
    const submitted = await createPetition(t, organiser, { title: 'A petition awaiting approval' });
    await t.http().post(`/v1/petitions/${submitted.id}/submit`).set(organiser.auth).expect(200);
    const openId = petitionPath.split('/').at(-1)!;
    await t
      .http()
      .post(`/v1/petitions/${openId}/signatures`)
      .send({
        fullName: 'Olga Commentova',
        email: 'olga.comment@example.org',
        comment: 'Please light the bridge too.\nIt is darkest there.',
      })
      .expect(202);
    // Confirmed, so the organiser reads the comment (unconfirmed ones are not shown).
    const mail = await waitFor('the confirmation mail', async () =>
      smtp.mailsTo('olga.comment@example.org').at(0),
    );
    await t
      .http()
      .post('/v1/signatures/confirm')
      .send({ token: tokenFrom(mail) })
      .expect(200);

    const organiserPages = [
      '/console/petitions',
      '/console/petitions/new',
      petitionPath,
      `${petitionPath}/close`,
      reportPath,
      `/console/petitions/${draft.id}`,
      `/console/petitions/${draft.id}/edit`,
      `/console/petitions/${rejected.id}`,
      `/console/petitions/${submitted.id}/edit`, // the 409 page
    ];
    const moderatorPages = ['/console/petitions', `/console/petitions/${submitted.id}`];
    const sessions = [
      { who: 'organiser', page: organiserPage, paths: organiserPages },
      { who: 'moderator', page: moderatorPage, paths: moderatorPages },
    ];
    for (const { who, page: signedIn, paths } of sessions) {
      const cookies = await signedIn.context().cookies();
      for (const [width, lang] of [
        [1280, 'en'],
        [375, 'en'],
        [375, 'ru'],
      ] as const) {
        // axe-core runs as a script in the page, so these contexts have JavaScript on.
        const page = await open({ width, javaScript: true });
        await page.context().addCookies(cookies);
        for (const path of paths) {
          const response = await page.goto(`${t.url}${path}?lang=${lang}`);
          const refused = path === `/console/petitions/${submitted.id}/edit`;
          expect({ path, status: response?.status() }).toEqual({
            path,
            status: refused ? 409 : 200,
          });
          await check(page, `${who}${path}`, width, lang);
        }
        // The forms sent back with their problems.
        await page.goto(`${t.url}/console/petitions/new?lang=${lang}`);
        if (who === 'organiser') {
          await page.locator('button[type="submit"]').last().click();
          expect(await page.locator('.error-summary').count()).toBe(1);
          await check(page, `${who}/console/petitions/new (problems)`, width, lang);
          await page.goto(`${t.url}${petitionPath}?lang=${lang}`);
          await page.locator('form[enctype="multipart/form-data"] button').click();
          expect(await page.locator('.error-summary').count()).toBe(1);
          await check(page, `${who}${petitionPath} (import problem)`, width, lang);
        } else {
          await page.goto(`${t.url}/console/petitions/${submitted.id}?lang=${lang}`);
          await page.locator('button.warning').click();
          expect(await page.locator('.error-summary').count()).toBe(1);
          await check(page, `${who}/console/petitions/${submitted.id} (problems)`, width, lang);
        }
      }
    }
  }, 240_000);

  it('never asked another origin for anything', async () => {
    for (const context of contexts.splice(0)) await context.close();
    expect(foreign).toEqual([]);
  });

  async function check(page: Page, name: string, width: number, lang: string): Promise<void> {
    expect({ name, width, lang, violations: await seriousViolations(page) }).toEqual({
      name,
      width,
      lang,
      violations: [],
    });
    expect({ name, width, lang, overflow: await horizontalOverflow(page) }).toEqual({
      name,
      width,
      lang,
      overflow: 0,
    });
    if (SHOTS) {
      const file = `${name.replace(/[^a-z0-9]+/gi, '-')}-${width}-${lang}.png`;
      await page.screenshot({ path: join(SHOTS, file), fullPage: true });
    }
  }
});
