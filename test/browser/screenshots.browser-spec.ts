import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { AccountRole } from '../../src/accounts/account-role.js';
import { CountHistoryService } from '../../src/counts/count-history.service.js';
import { createAccount, openPetition } from '../support/factories.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait.js';
import { reviewSignatures } from '../support/review-signatures.js';
import { launchBrowser, newContext } from './support/browser.js';
import { signInInBrowser } from './support/console-browser.js';

/** Made-up deputies of a made-up town, for the pictures. */
const SIGNERS = [
  ['Irina Sokolova', 'Semyonovsky', 'Municipal deputy'],
  ['Pavel Orlov', 'Semyonovsky', 'Municipal deputy'],
  ['Daria Belova', 'Riverside', 'Municipal deputy'],
  ['Maxim Zaitsev', 'Riverside', null],
  ['Olga Kuznetsova', 'Old Town', 'Municipal deputy'],
  ['Timur Galiev', 'Old Town', null],
] as const;

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * Takes the README's pictures of the pages: the petition page on a desktop and on a phone, and
 * the confirm page. Every run checks they render at those sizes; `UPDATE_SCREENSHOTS=1` writes
 * them to docs/ (run it after changing a page, and look at them).
 */
describe('screenshots of the pages', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let browser: Browser;
  const out = process.env.UPDATE_SCREENSHOTS
    ? join(process.cwd(), 'docs')
    : mkdtempSync(join(tmpdir(), 'countersign-shots-'));

  beforeAll(async () => {
    mkdirSync(out, { recursive: true });
    smtp = await new SmtpSink().start();
    t = await startTestApp({
      env: { SMTP_URL: smtp.url, SOURCE_BURST_LIMIT: '100000', RATE_LIMIT_SIGN_IN: '100/900' },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.stop();
    if (!process.env.UPDATE_SCREENSHOTS) rmSync(out, { recursive: true, force: true });
  });

  it('photographs the petition page and the confirm page', async () => {
    const organiser = await createAccount(t, AccountRole.Organiser);
    const moderator = await createAccount(t, AccountRole.Moderator);
    const petition = await openPetition(t, organiser, moderator, {
      title: 'Open letter: keep the Semyonovsky embankment public',
      addressee: 'The Head of the City Administration',
      body:
        'We, municipal deputies of the city, ask you to stop the sale of the Semyonovsky ' +
        'embankment to a private developer.\n\nThe embankment is the only public green space ' +
        'for three districts. Its sale was decided without a public hearing.\n\nWe ask for the ' +
        'hearing the law requires, and for the plans to be published in full.',
      signatureGoal: 50,
      requireEmailConfirmation: false,
    });
    const history = t.app.get(CountHistoryService);
    for (const [i, [fullName, district, title]] of SIGNERS.entries()) {
      await t
        .http()
        .post(`/v1/petitions/${petition.id}/signatures`)
        .send({
          fullName,
          district,
          ...(title ? { title } : {}),
          email: `deputy${i}@example.test`,
          displayPublicly: true,
        })
        .expect(202);
      await waitFor('the signature to be verified', async () => {
        const { rows } = await t.db.query(
          `SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1 AND status = 'verified'`,
          [petition.id],
        );
        return rows[0].n === i + 1 ? true : undefined;
      });
      await history.snapshot();
    }
    await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures`)
      .send({ fullName: 'Anna Testova', email: 'anna.shots@example.test' })
      .expect(202);

    const shots: Array<[string, number, number]> = [];
    const desktop = await newContext(browser, { width: 1280 });
    const page = await desktop.newPage();
    await waitFor('the counts on the page', async () => {
      await page.goto(`${t.url}/petitions/${petition.slug}?lang=en`);
      const shown = Number(await page.locator('[data-count="verified"]').textContent());
      return shown >= SIGNERS.length ? true : undefined;
    });
    await page.screenshot({ path: join(out, 'petition-desktop.png'), fullPage: true });
    shots.push(['petition-desktop.png', 1280, 900]);

    const phone = await newContext(browser, { width: 375, locale: 'ru-RU' });
    const phonePage = await phone.newPage();
    await phonePage.goto(`${t.url}/petitions/${petition.slug}`);
    await phonePage.screenshot({ path: join(out, 'petition-phone.png') });
    await phonePage.locator('#sign-title').scrollIntoViewIfNeeded();
    await phonePage.screenshot({ path: join(out, 'petition-phone-form.png') });
    // Phones have a device pixel ratio; the picture is at least the screen's width.
    shots.push(['petition-phone.png', 375, 740], ['petition-phone-form.png', 375, 740]);

    const confirmPetition = await openPetition(t, organiser, moderator, {
      title: 'Open letter: keep the Semyonovsky embankment public (with confirmation)',
    });
    await t
      .http()
      .post(`/v1/petitions/${confirmPetition.id}/signatures`)
      .send({ fullName: 'Anna Testova', email: 'anna.confirm@example.test' })
      .expect(202);
    const mail = await waitFor('the mail', async () =>
      smtp.mailsTo('anna.confirm@example.test').at(0),
    );
    const link = new URL(
      mail.text
        .split('\n')
        .find((l) => l.includes('/signatures/confirm?'))!
        .trim(),
    );
    await page.setViewportSize({ width: 1280, height: 640 });
    await page.goto(`${t.url}${link.pathname}${link.search}`);
    await page.screenshot({ path: join(out, 'confirm.png') });
    shots.push(['confirm.png', 1280, 640]);

    // The console: a moderator's review screen, and the organiser's page of the petition.
    await reviewSignatures(t, petition, ['Roman Reviewova', 'Semyon Reviewov']);
    const mod = await newContext(browser, { width: 1280, javaScript: false });
    const modPage = await mod.newPage();
    await signInInBrowser(modPage, t.url, smtp, moderator.email);
    await modPage.goto(`${t.url}/console/review?lang=en`);
    await modPage.getByRole('button', { name: 'Claim', exact: true }).click();
    await modPage.screenshot({ path: join(out, 'console-review.png'), fullPage: true });
    shots.push(['console-review.png', 1280, 640]);
    const org = await newContext(browser, { width: 1280, javaScript: false });
    const orgPage = await org.newPage();
    await signInInBrowser(orgPage, t.url, smtp, organiser.email);
    await orgPage.goto(`${t.url}/console/petitions/${petition.id}?lang=en`);
    await orgPage.screenshot({ path: join(out, 'console-petition.png'), fullPage: true });
    shots.push(['console-petition.png', 1280, 640]);
    await mod.close();
    await org.close();

    for (const [file, width, height] of shots) {
      const size = pngSize(join(out, file));
      expect(size.width).toBeGreaterThanOrEqual(width);
      expect(size.height).toBeGreaterThanOrEqual(height);
    }
    await desktop.close();
    await phone.close();
  });
});
