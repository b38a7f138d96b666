import type { Browser, BrowserContext } from 'playwright-core';
import { AccountRole } from '../../src/accounts/account-role.js';
import { createAccount } from '../support/factories.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  horizontalOverflow,
  launchBrowser,
  newContext,
  seriousViolations,
} from './support/browser.js';
import { signInInBrowser } from './support/console-browser.js';

/**
 * An admin in Chromium with JavaScript off: signs in through the mailed link, creates an
 * organiser (whose token is shown once), deactivates them, after which the organiser's session
 * and token are refused; then signs out.
 */
describe('console: an admin in a browser', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({ env: { SMTP_URL: smtp.url, RATE_LIMIT_SIGN_IN: '100/900' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
    await smtp?.stop();
  });

  async function page(options: Parameters<typeof newContext>[1] = {}) {
    const context = await newContext(browser, { javaScript: false, ...options });
    contexts.push(context);
    return context.newPage();
  }

  it('creates an organiser, whose token works until the admin deactivates them', async () => {
    const admin = await createAccount(t, AccountRole.Admin);
    const adminPage = await page();
    await signInInBrowser(adminPage, t.url, smtp, admin.email);
    await adminPage.getByRole('link', { name: 'Accounts' }).first().click();
    await adminPage.getByLabel('Email address').fill('nadia.organiser@example.test');
    await adminPage.getByLabel('Name shown to others').fill('Nadia Organiser');
    await adminPage.getByLabel('Role').selectOption('organiser');
    await adminPage.getByRole('button', { name: 'Create the account' }).click();
    await adminPage.getByRole('heading', { name: 'Account created' }).waitFor();
    const token = await adminPage.getByLabel('API token').inputValue();
    await t.http().get('/v1/me').set('authorization', `Bearer ${token}`).expect(200);

    const organiserPage = await page();
    await signInInBrowser(organiserPage, t.url, smtp, 'nadia.organiser@example.test');
    expect(await organiserPage.locator('.console-nav').textContent()).toContain('Nadia Organiser');
    // An organiser does not see the admins' sections, and gets 404 there.
    expect(await organiserPage.getByRole('link', { name: 'Accounts' }).count()).toBe(0);
    const refused = await organiserPage.goto(`${t.url}/console/accounts`);
    expect(refused?.status()).toBe(404);

    await adminPage.goto(`${t.url}/console/accounts?lang=en`);
    await adminPage.getByRole('button', { name: 'Deactivate: Nadia Organiser' }).click();
    await adminPage.getByText('The account is deactivated').waitFor();

    await organiserPage.goto(`${t.url}/console?lang=en`);
    expect(organiserPage.url()).toContain('/console/sign-in');
    await t.http().get('/v1/me').set('authorization', `Bearer ${token}`).expect(401);

    await adminPage.getByRole('button', { name: 'Sign out' }).click();
    await adminPage.getByText('You are signed out.').waitFor();
    await adminPage.goto(`${t.url}/console`);
    expect(adminPage.url()).toContain('/console/sign-in');
  });

  it('has no serious accessibility problem and no sideways scrolling at 375 px', async () => {
    const admin = await createAccount(t, AccountRole.Admin);
    for (const width of [1280, 375]) {
      const p = await page({ javaScript: true, width });
      for (const path of ['/console/sign-in?lang=en', '/console/sign-in?lang=ru']) {
        await p.goto(t.url + path);
        expect({ path, width, v: await seriousViolations(p) }).toEqual({ path, width, v: [] });
        expect(await horizontalOverflow(p)).toBe(0);
      }
      await signInInBrowser(p, t.url, smtp, admin.email);
      for (const path of [
        '/console?lang=en',
        '/console/accounts?lang=en',
        '/console/accounts?lang=ru',
      ]) {
        await p.goto(t.url + path);
        expect({ path, width, v: await seriousViolations(p) }).toEqual({ path, width, v: [] });
        expect({ path, width, overflow: await horizontalOverflow(p) }).toEqual({
          path,
          width,
          overflow: 0,
        });
      }
    }
  });
});
