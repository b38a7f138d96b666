import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AlertsService } from '../../src/abuse/alerts.service.js';
import { AccountRole } from '../../src/accounts/account-role.js';
import { consoleAbuseEn } from '../../src/web/i18n/console-abuse.en.js';
import { consoleAbuseRu } from '../../src/web/i18n/console-abuse.ru.js';
import {
  createAccount,
  openPetition,
  type PetitionBody,
  type TestAccount,
} from '../support/factories.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { signInInBrowser } from './support/console-browser.js';
import {
  foreignRequests,
  horizontalOverflow,
  launchBrowser,
  newContext,
  seriousViolations,
} from './support/browser.js';

/** Set to a directory to keep a picture of every page checked (e.g. `/tmp/shots`). */
const SHOTS = process.env.CONSOLE_SCREENSHOTS;
const THRESHOLD = 3;
const WORDS = { en: consoleAbuseEn, ru: consoleAbuseRu } as const;
type Lang = keyof typeof WORDS;

/**
 * A moderator's blocks and alerts pages in Debian's Chromium with JavaScript off, against the real
 * app: adding a block through the form and removing it, an alert raised by the trending job,
 * blocking its source from the alert's prefilled form and acknowledging it, in English and
 * Russian; then every page checked by axe-core and for sideways scrolling at 375 px.
 */
describe('console blocks and alerts in a browser', () => {
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
      env: {
        SMTP_URL: smtp.url,
        TRUST_PROXY: 'true',
        RATE_LIMIT_SIGN_IN: '100/900',
        RATE_LIMIT_SIGN: '100000/600',
        RATE_LIMIT_SIGN_ALL: '100000/3600',
        SOURCE_BURST_LIMIT: '100000',
        SIGN_MIN_RESPONSE_MS: '0',
        TRENDING_THRESHOLD: String(THRESHOLD),
        TRENDING_INTERVAL_SECONDS: '3600',
      },
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
    context.setDefaultTimeout(10_000);
    return context.newPage();
  }

  const petition = (title: string): Promise<PetitionBody> =>
    openPetition(t, organiser, moderator, { requireEmailConfirmation: false, title });

  /**
   * THRESHOLD signatures from one source, then the trending job: an alert about that source, and
   * one about the domain when they share it.
   */
  async function trendingSource(
    p: PetitionBody,
    ip: string,
    names: string[],
    domain?: string,
  ): Promise<void> {
    for (const [i, fullName] of names.entries()) {
      const email = `${ip.replace(/\./g, '-')}-${i}@${domain ?? `own${i}.example`}`;
      await t
        .http()
        .post(`/v1/petitions/${p.id}/signatures`)
        .set('x-forwarded-for', ip)
        .send({ fullName, email })
        .expect(202);
    }
    await t.app.get(AlertsService).detectTrending();
  }

  const blocksBy = async (value: string) => {
    const { rows } = await t.db.query(
      `SELECT kind, value, action, reason_code, petition_id, created_by, removed_by
         FROM blocks WHERE value = $1`,
      [value],
    );
    return rows;
  };

  for (const lang of ['en', 'ru'] as const) {
    const w = WORDS[lang];
    const b = w.blocks;

    it(`adds a block through the form and removes it (${lang}, JavaScript off)`, async () => {
      const page = await open();
      await signInInBrowser(page, t.url, smtp, moderator.email);
      await page.goto(`${t.url}/console?lang=${lang}`);
      await page.getByRole('link', { name: w.nav.blocks }).first().click();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(b.title);

      const domain = `*.spam-${lang}.example`;
      const form = page.locator('form[action="/console/blocks"]');
      await form.getByLabel(b.kindChoices.email_domain).check();
      await form.getByLabel(b.value, { exact: true }).fill(domain);
      await form.getByLabel(b.actionChoices.reject).check();
      await form.getByLabel(b.reasonLabel).selectOption('fraudulent');
      await form.getByLabel(new RegExp(`^${b.note}`)).fill('A bot farm');
      await form.getByRole('button', { name: b.addButton }).click();
      expect(await page.getByRole('status').textContent()).toContain(b.notices.added);
      const row = page.locator('tr', { hasText: domain });
      expect(await row.count()).toBe(1);
      expect(await row.textContent()).toContain(w.allPetitions);
      expect(await blocksBy(domain)).toEqual([
        {
          kind: 'email_domain',
          value: domain,
          action: 'reject',
          reason_code: 'fraudulent',
          petition_id: null,
          created_by: moderator.id,
          removed_by: null,
        },
      ]);

      // A problem comes back next to its field, the rest kept.
      await form.getByLabel(b.value, { exact: true }).fill('not a domain');
      await form.getByRole('button', { name: b.addButton }).click();
      expect(await page.locator('.error-summary').textContent()).toContain(b.validation.domain);
      expect(await page.locator('.error-summary').textContent()).toContain(
        b.validation.chooseAction,
      );
      expect(await form.getByLabel(b.value, { exact: true }).inputValue()).toBe('not a domain');

      await row.getByRole('button', { name: new RegExp(`^${b.removeButton}`) }).click();
      expect(await page.getByRole('status').textContent()).toContain(b.notices.removed);
      expect(await page.locator('tr', { hasText: domain }).count()).toBe(0);
      expect((await blocksBy(domain))[0].removed_by).toBe(moderator.id);
      await page.getByRole('link', { name: b.showEnded }).click();
      const ended = page.locator('tr', { hasText: domain });
      expect(await ended.textContent()).toContain(b.states.removed);
    });

    it(`blocks an alert’s source from its prefilled form and acknowledges the alert (${lang})`, async () => {
      const p = await petition(`Save the old tram depot ${lang}`);
      const ip = lang === 'en' ? '198.51.100.71' : '198.51.100.72';
      await trendingSource(p, ip, ['Ivan Trendov', 'Pavel Trendov', 'Oleg Trendov']);
      const page = await open();
      await signInInBrowser(page, t.url, smtp, moderator.email);
      await page.goto(`${t.url}/console?lang=${lang}`);
      await page.getByRole('link', { name: w.nav.alerts }).first().click();
      const row = page.locator('tr', { hasText: p.title as string });
      expect(await row.textContent()).toContain(w.sourceOf);
      expect(await page.locator('main').textContent()).not.toContain(ip);

      await row.getByRole('link', { name: new RegExp(`^${w.alerts.blockSource}`) }).click();
      const form = page.locator('form[action="/console/blocks"]');
      expect(await page.locator('main').textContent()).toContain(b.fromAlert);
      expect(await form.getByLabel(b.kindChoices.source).isChecked()).toBe(true);
      const value = await form.getByLabel(b.value, { exact: true }).inputValue();
      expect(value).toMatch(/^[0-9a-f-]{36}$/);
      expect(await form.getByLabel(new RegExp(`^${b.scope}`)).inputValue()).toBe(p.id);
      await form.getByLabel(b.actionChoices.review).check();
      await form.getByRole('button', { name: b.addButton }).click();
      expect(await page.getByRole('status').textContent()).toContain(b.notices.added);
      expect(await blocksBy(value)).toEqual([
        expect.objectContaining({ kind: 'source', action: 'review', petition_id: p.id }),
      ]);

      await page.goto(`${t.url}/console/alerts?lang=${lang}`);
      await page
        .locator('tr', { hasText: p.title as string })
        .getByRole('button', { name: new RegExp(`^${w.alerts.acknowledgeButton}`) })
        .click();
      expect(await page.getByRole('status').textContent()).toContain(w.alerts.notices.acknowledged);
      expect(await page.locator('tr', { hasText: p.title as string }).count()).toBe(0);
      await page.getByRole('link', { name: w.alerts.acknowledged, exact: true }).click();
      expect(await page.locator('tr', { hasText: p.title as string }).textContent()).toContain(
        `Test ${AccountRole.Moderator}`,
      );
      const { rows } = await t.db.query(
        `SELECT acknowledged_by FROM trending_alerts WHERE petition_id = $1`,
        [p.id],
      );
      expect(rows).toEqual([{ acknowledged_by: moderator.id }]);
    });
  }

  it('has no serious accessibility problem and no sideways scrolling at 375 px, in both languages', async () => {
    const p = await petition('Keep the riverside library open on Sundays');
    await trendingSource(
      p,
      '198.51.100.80',
      ['Anna Naplyvova', 'Boris Naplyvov', 'Vera Naplyvova'],
      'flood.example',
    );
    const { body: alerts } = await t
      .http()
      .get('/v1/moderation/alerts')
      .set(moderator.auth)
      .expect(200);
    type Listed = { id: string; kind: string; value: string };
    const source = (alerts.items as Listed[]).find((a) => a.kind === 'source')!;
    const byDomain = (alerts.items as Listed[]).find((a) => a.kind === 'email_domain')!;
    for (const body of [
      {
        kind: 'email_domain',
        value: '*.a-rather-long-subdomain-name.example-domain.org',
        action: 'reject',
      },
      {
        kind: 'source',
        value: source.value,
        petitionId: p.id,
        action: 'review',
        note: 'x'.repeat(300),
      },
      {
        kind: 'email_domain',
        value: 'mailinator.com',
        action: 'reject',
        reasonCode: 'duplicate',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    ]) {
      await t.http().post('/v1/moderation/blocks').set(moderator.auth).send(body).expect(201);
    }
    const { body: ended } = await t
      .http()
      .post('/v1/moderation/blocks')
      .set(moderator.auth)
      .send({ kind: 'email_domain', value: 'old.example', action: 'review' })
      .expect(201);
    await t.http().delete(`/v1/moderation/blocks/${ended.id}`).set(moderator.auth).expect(200);
    // One acknowledged, one left open.
    await t
      .http()
      .post(`/v1/moderation/alerts/${byDomain.id}/acknowledge`)
      .set(moderator.auth)
      .expect(200);

    for (const width of [1280, 375]) {
      for (const lang of ['en', 'ru'] as Lang[]) {
        // axe runs in the page, so these pages have JavaScript on (the pages use none).
        const page = await open({ width, javaScript: true });
        await signInInBrowser(page, t.url, smtp, moderator.email);
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
          if (SHOTS) {
            const file = `${what.replace(/[^a-z0-9]+/gi, '-')}-${width}-${lang}.png`;
            await page.screenshot({ path: join(SHOTS, file), fullPage: true });
          }
        };
        const paths: Array<[string, string]> = [
          ['blocks', '/console/blocks'],
          ['blocks ended', '/console/blocks?show=ended'],
          [
            'blocks prefilled',
            `/console/blocks?kind=source&value=${source.value}&petitionId=${p.id}`,
          ],
          ['alerts', '/console/alerts'],
          ['alerts acknowledged', '/console/alerts?status=acknowledged'],
        ];
        for (const [what, path] of paths) {
          await page.goto(`${t.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
          await visit(what);
        }
        await page.goto(`${t.url}/console/blocks?lang=${lang}`);
        await page.locator('form[action="/console/blocks"] button[type="submit"]').click();
        expect(await page.locator('.error-summary').count()).toBe(1);
        await visit('blocks with problems');
      }
    }
  }, 240_000);

  it('lets no organiser in, and never asked another origin for anything', async () => {
    const page = await open();
    await signInInBrowser(page, t.url, smtp, organiser.email);
    for (const path of ['/console/blocks', '/console/alerts']) {
      const res = await page.goto(`${t.url}${path}?lang=en`);
      expect({ path, status: res?.status() }).toEqual({ path, status: 404 });
    }
    await page.goto(`${t.url}/console?lang=en`);
    expect(await page.getByRole('link', { name: consoleAbuseEn.nav.blocks }).count()).toBe(0);
    for (const context of contexts.splice(0)) await context.close();
    expect(foreign).toEqual([]);
  });
});
