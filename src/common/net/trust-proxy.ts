import { isIP } from 'node:net';

/** proxy-addr's names for address ranges, which Fastify's `trustProxy` accepts. */
const KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY as Fastify's `trustProxy`: `false` (the default), `true` (trust every hop: only
 * behind a proxy that overwrites X-Forwarded-For), or a comma-separated list of proxy addresses,
 * CIDRs and proxy-addr keywords (`loopback`, `linklocal`, `uniquelocal`), e.g.
 * `loopback, 10.0.0.0/8`. Returns an error message for anything else, so that a typo fails the
 * boot with the variable's name instead of proxy-addr's message, or trusting the wrong hop.
 */
export function parseTrustProxy(raw: string | undefined): boolean | string | { error: string } {
  if (raw === undefined || raw.toLowerCase() === 'false') return false;
  if (raw.toLowerCase() === 'true') return true;
  const items = raw.split(',').map((item) => item.trim());
  const bad = items.filter((item) => !isTrustedItem(item));
  if (bad.length > 0) {
    return {
      error:
        'TRUST_PROXY must be false, true, or a comma-separated list of proxy addresses, CIDRs ' +
        `or loopback, linklocal, uniquelocal (not understood: "${bad.join('", "')}")`,
    };
  }
  return items
    .map((item) => (KEYWORDS.has(item.toLowerCase()) ? item.toLowerCase() : item))
    .join(',');
}

function isTrustedItem(item: string): boolean {
  if (KEYWORDS.has(item.toLowerCase())) return true;
  const [address, range, ...rest] = item.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  // proxy-addr also takes an IPv4 netmask (10.0.0.0/255.0.0.0).
  return family === 4 && isIP(range) === 4;
}
