import type { Page } from 'playwright-core';
import { signInLink } from '../../support/console.js';
import type { SmtpSink } from '../../support/smtp-sink.js';

/**
 * Signs in to the console in the browser as a person would: asks for a link on the sign-in page,
 * opens the mailed link, presses the button. Works with JavaScript off.
 */
export async function signInInBrowser(
  page: Page,
  base: string,
  smtp: SmtpSink,
  email: string,
): Promise<void> {
  const before = smtp.mailsTo(email).length;
  await page.goto(`${base}/console/sign-in?lang=en`);
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Send me a sign-in link' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  await page.goto(base + (await signInLink(smtp, email, before)));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/console\?lang=en$/);
}
