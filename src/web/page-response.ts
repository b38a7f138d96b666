import type { FastifyReply } from 'fastify';

/**
 * The Content-Security-Policy of every page: nothing from another origin, no inline script or
 * style, no framing, forms post only here. The chart is inline SVG drawn with attributes, which
 * this allows; a `style="…"` attribute would be refused, so the views use classes only.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * Headers on every page, fixed at start so a page costs no per-request header work. No page
 * sends a Referer (pages under /signatures carry a signer's token in their address, and no other
 * page needs one), and none sets a cookie.
 */
const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
};

export interface PageOptions {
  status?: number;
  /** Cache-Control; pages are `no-store` unless they say otherwise. */
  cache?: string;
  headers?: Record<string, string>;
}

export function sendPage(
  reply: FastifyReply,
  html: string | Buffer,
  options: PageOptions = {},
): void {
  void reply
    .status(options.status ?? 200)
    .headers(PAGE_HEADERS)
    .header('cache-control', options.cache ?? 'no-store')
    .headers(options.headers ?? {})
    .send(html);
}

/** The same address with `lang` set, for the language switch (other parameters kept). */
export function withLanguage(url: string, lang: string): string {
  const parsed = new URL(url, 'http://x');
  parsed.searchParams.set('lang', lang);
  return `${parsed.pathname}${parsed.search}${parsed.hash}`;
}
