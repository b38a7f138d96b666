import type { SmtpSink } from './smtp-sink.js';
import type { TestApp } from './test-app.js';
import { waitFor } from './wait.js';

export const FORM = 'application/x-www-form-urlencoded';

/** The value of a hidden field of a rendered form. */
export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no ${name} field in the page`);
  return match[1];
}

/** The console sign-in link in the last sign-in mail to `address`, as a path on the test app. */
export async function signInLink(smtp: SmtpSink, address: string, after = 0): Promise<string> {
  return waitFor(`the sign-in mail to ${address}`, async () => {
    const mails = smtp.mailsTo(address).filter((m) => m.subject.includes('Countersign console'));
    const line = mails
      .slice(after)
      .at(-1)
      ?.text.split('\n')
      .find((l) => l.includes('/console/sign-in/link?token='));
    if (!line) return undefined;
    const url = new URL(line.trim());
    return `${url.pathname}${url.search}`;
  });
}

/** Asks for a sign-in link for `address` through the page, as a browser without JavaScript would. */
export async function requestSignIn(t: TestApp, address: string): Promise<string> {
  const page = await t.http().get('/console/sign-in?lang=en').expect(200);
  const res = await t
    .http()
    .post('/console/sign-in')
    .type(FORM)
    .send({ formToken: hiddenField(page.text, 'formToken'), lang: 'en', email: address });
  return res.text;
}

/** Signs in through the mailed link and returns the session cookie (`cs_session=…`). */
export async function consoleSession(t: TestApp, smtp: SmtpSink, address: string): Promise<string> {
  const before = smtp.mailsTo(address).length;
  await requestSignIn(t, address);
  const link = await signInLink(smtp, address, before);
  const page = await t.http().get(link).expect(200);
  const res = await t
    .http()
    .post('/console/sign-in/link')
    .type(FORM)
    .send({
      formToken: hiddenField(page.text, 'formToken'),
      token: hiddenField(page.text, 'token'),
      lang: 'en',
    })
    .expect(303);
  const cookie = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('cs_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0];
}

/** A console page's anti-forgery token, for posting one of its forms. */
export async function csrfFor(t: TestApp, cookie: string, path = '/console'): Promise<string> {
  const page = await t.http().get(path).set('cookie', cookie).expect(200);
  return hiddenField(page.text, '_csrf');
}
