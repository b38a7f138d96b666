import type { IncomingHttpHeaders } from 'node:http';
import { hashesEqual, hashToken } from '../crypto/token.js';

export type MetricsAccess = 'allowed' | 'unauthorized' | 'forbidden';

/** Headers a proxy adds: a request carrying one did not start on this machine. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;
const BEARER = /^Bearer (\S{1,512})$/;

/**
 * Who may read the metrics. With METRICS_TOKEN set (`tokenHash`, its SHA-256), only a caller that
 * sends it as a bearer token, from anywhere; a missing or wrong one is `unauthorized`. Without it,
 * only a caller on this machine: the socket's own address (never X-Forwarded-For, which anyone can
 * write) must be loopback, and the request must not have come through a proxy, since a reverse
 * proxy on the same host would otherwise make every outside caller look local. Anyone else is
 * `forbidden`.
 */
export function metricsAccess(
  headers: IncomingHttpHeaders,
  remoteAddress: string | undefined,
  tokenHash: Buffer | null,
): MetricsAccess {
  if (tokenHash !== null) {
    const match = BEARER.exec(headers.authorization ?? '');
    if (!match) return 'unauthorized';
    return hashesEqual(hashToken(match[1]), tokenHash) ? 'allowed' : 'unauthorized';
  }
  if (PROXY_HEADERS.some((name) => headers[name] !== undefined)) return 'forbidden';
  return isLoopback(remoteAddress) ? 'allowed' : 'forbidden';
}

export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** What a refused caller is told, in the contract's error body. */
export const METRICS_REFUSALS = {
  unauthorized: {
    statusCode: 401,
    code: 'unauthorized',
    message: 'The metrics need `Authorization: Bearer <METRICS_TOKEN>`',
  },
  forbidden: {
    statusCode: 403,
    code: 'forbidden',
    message:
      'The metrics are served only to callers on this machine; set METRICS_TOKEN to read them from elsewhere',
  },
} as const;
