/**
 * One person, one signature: emails are compared after normalisation, so that
 * `Anna.Petrova+petition@GMail.com` and `annapetrova@gmail.com` are the same signer.
 *
 * Everything is lower-cased and trimmed. Plus-tags are dropped where the provider delivers them
 * to the same mailbox; dots in the local part are dropped only where the provider ignores them
 * (Gmail). Yandex treats `-` and `.` in logins as the same character.
 */
const GMAIL = new Set(['gmail.com', 'googlemail.com']);
const PLUS_TAGS = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'fastmail.com',
  'fastmail.fm',
  'proton.me',
  'protonmail.com',
  'pm.me',
  'yandex.ru',
  'yandex.com',
  'ya.ru',
]);
const YANDEX = new Set([
  'yandex.ru',
  'yandex.com',
  'yandex.by',
  'yandex.kz',
  'yandex.ua',
  'ya.ru',
  'narod.ru',
]);
const ALIASES: Record<string, string> = {
  'googlemail.com': 'gmail.com',
  'ya.ru': 'yandex.ru',
  'yandex.com': 'yandex.ru',
  'yandex.by': 'yandex.ru',
  'yandex.kz': 'yandex.ru',
  'yandex.ua': 'yandex.ru',
  'pm.me': 'proton.me',
  'protonmail.com': 'proton.me',
};

export interface NormalisedEmail {
  /** The address to send mail to: trimmed, domain lower-cased. */
  address: string;
  /** The identity used for uniqueness: one value per mailbox. */
  canonical: string;
  domain: string;
}

export function normaliseEmail(raw: string): NormalisedEmail {
  const trimmed = raw.trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) throw new Error('not an email address');
  const local = trimmed.slice(0, at);
  const domain = trimmed
    .slice(at + 1)
    .toLowerCase()
    .replace(/\.$/, '');
  let canonicalLocal = local.toLowerCase();
  if (PLUS_TAGS.has(domain)) canonicalLocal = canonicalLocal.replace(/\+.*$/, '');
  if (GMAIL.has(domain)) canonicalLocal = canonicalLocal.replace(/\./g, '');
  if (YANDEX.has(domain)) canonicalLocal = canonicalLocal.replace(/\./g, '-');
  const canonicalDomain = ALIASES[domain] ?? domain;
  return {
    address: `${local}@${domain}`,
    canonical: `${canonicalLocal}@${canonicalDomain}`,
    domain,
  };
}
