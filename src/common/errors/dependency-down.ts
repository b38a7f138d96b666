/**
 * PostgreSQL / network errors that mean a dependency is down, not that the request was bad
 * (3D000: the database itself is gone, e.g. dropped under a running service). The global filter
 * answers these with 503; the batchers fail a whole batch on them.
 */
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
]);
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-3]|3D000)/;
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Connection is closed/i;

export function isDependencyDown(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const candidate = error as { code?: unknown; message?: unknown; driverError?: unknown };
  const code = typeof candidate.code === 'string' ? candidate.code : '';
  const message = typeof candidate.message === 'string' ? candidate.message : '';
  if (UNAVAILABLE_ERRNOS.has(code) || UNAVAILABLE_SQLSTATE.test(code)) return true;
  if (UNAVAILABLE_MESSAGE.test(message)) return true;
  return candidate.driverError !== undefined && candidate.driverError !== error
    ? isDependencyDown(candidate.driverError)
    : false;
}
