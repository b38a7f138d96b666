import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AccountRole } from '../../src/accounts/account-role.js';
import {
  createAccount,
  openPetition,
  type PetitionBody,
  type TestAccount,
} from '../support/factories.js';
import { reviewSignatures } from '../support/review-signatures.js';
import { signInInBrowser } from './support/console-browser.js';
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

const THRESHOLD = 2;

/**
 * A moderator's work in Debian's Chromium against the real app: signing in through the mailed
 * link, the review queue with JavaScript off (claim, decide with a reason, the next comes up) and
 * with its keyboard shortcuts on, two moderators claiming at once, a bulk invalidation that needs
 * a second moderator, and every moderation page checked by axe-core and at 375 px.
 */
describe('moderator console in a browser', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let browser: Browser;
  let organiser: TestAccount;
  let first: TestAccount;
  let second: TestAccount;
  const contexts: BrowserContext[] = [];
  const foreign: string[] = [];

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({
      env: {
        SMTP_URL: smtp.url,
        RATE_LIMIT_SIGN_IN: '100/900',
        SOURCE_BURST_LIMIT: '100000',
        SIGN_MIN_RESPONSE_MS: '0',
        INVALIDATION_APPROVAL_THRESHOLD: String(THRESHOLD),
      },
    });
    organiser = await createAccount(t, AccountRole.Organiser);
    first = await createAccount(t, AccountRole.Moderator);
    second = await createAccount(t, AccountRole.Moderator);
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
    // A control that is not there fails in seconds, not after Playwright's 30 s.
    context.setDefaultTimeout(10_000);
    return context.newPage();
  }

  /** Signs in as a person does (see support/console-browser.ts). */
  async function signIn(page: Page, account: TestAccount): Promise<void> {
    await signInInBrowser(page, t.url, smtp, account.email);
  }

  const petition = (): Promise<PetitionBody> =>
    openPetition(t, organiser, first, {
      requireEmailConfirmation: false,
      title: `Keep the embankment open ${Math.random().toString(36).slice(2, 7)}`,
    });

  const status = async (signatureId: string): Promise<string> => {
    const { rows } = await t.db.query('SELECT status FROM signatures WHERE id = $1', [signatureId]);
    return rows[0].status as string;
  };

  const currentName = (page: Page) => page.locator('#current-name').textContent({ timeout: 5_000 });

  async function claimOn(page: Page, p: PetitionBody, howMany: string): Promise<void> {
    await page.goto(`${t.url}/console/review?lang=en`);
    await page.getByLabel('Which petition').selectOption(p.id);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByLabel('How many').selectOption(howMany);
    await page.getByRole('button', { name: 'Claim', exact: true }).click();
  }

  it('signs in through the mailed link and works the review queue with JavaScript off', async () => {
    const p = await petition();
    const signers = await reviewSignatures(t, p, ['Anna Nojsova', 'Boris Nojsov', 'Vera Nojsova']);
    const page = await open({ javaScript: false });
    await signIn(page, first);
    await page.getByRole('link', { name: 'Review queue' }).first().click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Review queue');
    await claimOn(page, p, '5');
    expect(await page.getByRole('status').textContent()).toContain('You claimed 3 signatures.');
    expect(await currentName(page)).toBe('Anna Nojsova');
    // The shortcut help is there only for a script to show; without one it stays hidden.
    expect(await page.locator('[data-shortcuts]').isVisible()).toBe(false);

    const reject = page.getByRole('form', { name: 'Reject it' });
    await reject.getByLabel('Reason').selectOption('fraudulent');
    await reject.getByLabel(/^Note/).fill('Same throwaway domain');
    await reject.getByRole('button', { name: 'Reject' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Rejected.');
    expect(await currentName(page)).toBe('Boris Nojsov');
    expect(await status(signers[0].id)).toBe('rejected');

    // Forgetting the reason comes back with the problem next to the field.
    await page
      .getByRole('form', { name: 'Verify it' })
      .getByRole('button', { name: 'Verify' })
      .click();
    expect(await page.getByRole('heading', { name: 'There is a problem' }).count()).toBe(1);
    await page.getByRole('link', { name: 'Choose a reason' }).click();
    expect(page.url()).toMatch(/#verify-reasonCode$/);
    const verify = page.getByRole('form', { name: 'Verify it' });
    await verify.getByLabel('Reason').selectOption('identity_confirmed');
    await verify.getByRole('button', { name: 'Verify' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Verified.');
    expect(await currentName(page)).toBe('Vera Nojsova');
    expect(await status(signers[1].id)).toBe('verified');

    // The history of the one just decided, from the notice's link.
    await page.getByRole('button', { name: 'Release it to the queue' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Released to the queue.');
    await page.getByRole('link', { name: 'See its history' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Signature history');
    expect(await page.locator('main').textContent()).toContain('Vera Nojsova');
    expect(await status(signers[2].id)).toBe('needs_review');
  });

  it('gives two moderators claiming at the same time different signatures', async () => {
    const p = await petition();
    const signers = await reviewSignatures(t, p, ['Dina Dvoeva', 'Egor Dvoev']);
    const [pageA, pageB] = [await open({ javaScript: false }), await open({ javaScript: false })];
    await signIn(pageA, first);
    await signIn(pageB, second);
    for (const page of [pageA, pageB]) {
      await page.goto(`${t.url}/console/review?petitionId=${p.id}&lang=en`);
      await page.getByLabel('How many').selectOption('5');
    }
    await Promise.all([
      pageA.getByRole('button', { name: 'Claim', exact: true }).click(),
      pageB.getByRole('button', { name: 'Claim', exact: true }).click(),
    ]);
    const held = async (page: Page) =>
      (await page.locator('#current-name').count()) > 0
        ? [
            await currentName(page),
            ...(await page.locator('.cm-batch li').allTextContents()).map((x) => x.split(' · ')[0]),
          ]
        : [];
    const a = await held(pageA);
    const b = await held(pageB);
    expect([...a, ...b].sort()).toEqual(signers.map((s) => s.fullName).sort());
    expect(a.filter((name) => b.includes(name))).toEqual([]);
  });

  it('decides with the keyboard when JavaScript is on', async () => {
    const p = await petition();
    const [one, two] = await reviewSignatures(t, p, ['Gleb Klavishev', 'Inna Klavisheva']);
    const page = await open();
    await signIn(page, first);
    await claimOn(page, p, '5');
    expect(await page.locator('[data-shortcuts]').isVisible()).toBe(true);
    await page.locator('main h1').click(); // nothing focused that takes typing
    await page.keyboard.press('r');
    const list = page.getByRole('form', { name: 'Reject it' }).getByLabel('Reason');
    expect(await list.evaluate((el) => el === document.activeElement)).toBe(true);
    await list.selectOption('duplicate');
    await list.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/notice=rejected/);
    expect(await status(one.id)).toBe('rejected');
    expect(await currentName(page)).toBe('Inna Klavisheva');
    await page.locator('main h1').click();
    await page.keyboard.press('n');
    await page.waitForURL(/notice=released/);
    expect(await page.locator('#current-name').count()).toBe(0);
    expect(await status(two.id)).toBe('needs_review');
  });

  it('needs a second moderator, in another browser, for an invalidation above the threshold', async () => {
    const p = await petition();
    const signers = await reviewSignatures(t, p, ['Kira Massova', 'Lev Massov', 'Mila Massova']);
    const requester = await open({ javaScript: false });
    await signIn(requester, first);
    await requester.goto(`${t.url}/console/invalidations?lang=en`);
    await requester.getByLabel('Petition', { exact: true }).selectOption(p.id);
    await requester.getByLabel(/^Full name pattern/).fill('*Massov*');
    await requester.getByLabel('Verified').uncheck();
    await requester.getByLabel('Reason').selectOption('fraudulent');
    await requester.getByLabel(/^Note/).fill('One script signed them all');
    await requester.getByRole('button', { name: 'Preview the matches' }).click();
    expect(await requester.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Preview of an invalidation',
    );
    expect(await requester.locator('main').textContent()).toContain('3 signatures match');
    await requester.getByRole('button', { name: 'Request this invalidation' }).click();
    expect(await requester.locator('main').textContent()).toContain(
      'You requested it, so another moderator must approve it.',
    );
    expect(await requester.getByRole('button', { name: 'Approve and run it' }).count()).toBe(0);
    const address = requester.url().split('?')[0];

    const approver = await open({ javaScript: false });
    await signIn(approver, second);
    await approver.getByRole('link', { name: 'Invalidations' }).first().click();
    const awaiting = approver.locator('section', { has: approver.locator('#awaiting-heading') });
    await awaiting.getByRole('link', { name: p.title as string }).click();
    expect(approver.url().split('?')[0]).toBe(address);
    expect(await approver.locator('main').textContent()).toContain('Lev Massov');
    await approver.getByRole('button', { name: 'Approve and run it' }).click();
    expect(await approver.getByRole('status').textContent()).toContain('Approved: it is running.');

    await waitFor('the invalidation to finish', async () => {
      await requester.reload();
      const text = await requester.locator('main').textContent();
      return text?.includes('3 of 3 rejected') ? text : undefined;
    });
    for (const signer of signers) expect(await status(signer.id)).toBe('rejected');
  });

  it('has no serious accessibility problem and no sideways scrolling at 375 px, on every moderation page', async () => {
    const p = await petition();
    const [signer] = await reviewSignatures(t, p, [
      'Nina Axeova',
      'Oleg Axeov',
      'Polina Axeova-Dlinnofamilnaya-Konstantinopolskaya',
    ]);
    const { body: preview } = await t
      .http()
      .post('/v1/moderation/invalidations')
      .set(second.auth)
      .send({
        petitionId: p.id,
        criteria: { fullNamePattern: '*Axe*' },
        reasonCode: 'fraudulent',
        dryRun: true,
      })
      .expect(201);
    const { body: awaiting } = await t
      .http()
      .post('/v1/moderation/invalidations')
      .set(second.auth)
      .send({ petitionId: p.id, criteria: { fullNamePattern: '*Axe*' }, reasonCode: 'fraudulent' })
      .expect(201);
    const { body: register } = await t
      .http()
      .post('/v1/registers')
      .set(first.auth)
      .send({ name: 'Municipal deputies of Sampletown', description: 'From the commission' })
      .expect(201);
    await t
      .http()
      .put(`/v1/registers/${register.id}/entries`)
      .set(first.auth)
      .set('content-type', 'text/csv')
      .send('fullName,district,title\nIrina Sokolova,Semyonovsky,Municipal deputy\n')
      .expect(200);
    const pages = [
      '/console/review',
      `/console/signatures/${signer.id}`,
      '/console/invalidations',
      `/console/invalidations/${preview.id}`,
      `/console/invalidations/${awaiting.id}`,
      '/console/registers',
      `/console/registers/${register.id}`,
    ];
    for (const width of [1280, 375]) {
      for (const lang of ['en', 'ru']) {
        const page = await open({ width });
        await signIn(page, first);
        const visit = async (what: string) => {
          expect({ what, width, lang, violations: await seriousViolations(page) }).toEqual({
            what,
            width,
            lang,
            violations: [],
          });
          expect({ what, width, lang, overflow: await horizontalOverflow(page) }).toEqual({
            what,
            width,
            lang,
            overflow: 0,
          });
        };
        for (const path of pages) {
          await page.goto(`${t.url}${path}?lang=${lang}`);
          await visit(path);
        }
        // With claims held, and with forms sent back with problems.
        await page.goto(`${t.url}/console/review?petitionId=${p.id}&lang=${lang}`);
        await page.locator('form.cm-claim button').click();
        await visit('review with claims');
        await page.locator('form[data-decision="reject"] button').click();
        expect(await page.locator('.error-summary').count()).toBe(1);
        await visit('decision with a problem');
        await page.locator('form[action="/console/review/release-all"] button').click();
        await page.goto(`${t.url}/console/invalidations?lang=${lang}`);
        await page.locator('form[action="/console/invalidations/preview"] button').click();
        await visit('criteria with problems');
        await page.goto(`${t.url}/console/registers/${register.id}?lang=${lang}`);
        await page.locator('#file').setInputFiles({
          name: 'deputies.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from('fullName,district\nAnna Testova,North\n,South\n'),
        });
        await page.locator('form[enctype="multipart/form-data"] button').click();
        expect(await page.locator('#result-heading').count()).toBe(1);
        await visit('upload result');
        await page.locator('form[enctype="multipart/form-data"] button').click();
        await visit('upload without a file');
        await page.goto(`${t.url}/console/registers?lang=${lang}`);
        await page.locator('form[action="/console/registers"] button').click();
        await visit('register without a name');
      }
    }
  }, 240_000);

  it('never asked another origin for anything', async () => {
    for (const context of contexts.splice(0)) await context.close();
    expect(foreign).toEqual([]);
  });
});
