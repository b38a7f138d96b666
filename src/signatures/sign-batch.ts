import type { InFlightBatcherOptions } from '../common/batching/in-flight-batcher.js';
import { isDependencyDown } from '../common/errors/dependency-down.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { Metrics } from '../common/metrics/metrics.js';
import type { AppConfig } from '../config/app-config.js';
import type { SignatureStatus } from './signature-status.js';

/** How soon a sign refused for load or an outage may be tried again (the Retry-After header). */
export const SIGN_RETRY_AFTER_SECONDS = 2;

/**
 * How signs are batched (group commit): while up to `maxInFlight` statements run, the requests
 * that arrive wait and then go in one statement, one transaction and one count update. Under
 * light load a request goes alone, at once. At most SIGN_QUEUE_LIMIT wait: past it, and when the
 * database does not answer, a sign gets 503 with Retry-After at once rather than after seconds.
 */
export function signBatchOptions(
  config: Pick<AppConfig, 'signQueueLimit'>,
  metrics: Metrics,
): InFlightBatcherOptions {
  return {
    maxBatch: 256,
    maxInFlight: 4,
    maxWaiting: config.signQueueLimit,
    overflow: () => {
      metrics.signRefusals.inc({ reason: 'queue_full' });
      return unavailable('Too many signatures are being received right now; try again shortly');
    },
    sharedFailure: (error) => {
      if (!isDependencyDown(error)) return undefined;
      metrics.signRefusals.inc({ reason: 'database_unavailable' });
      return Object.assign(
        unavailable(
          'Signatures cannot be received right now (the database is not answering); try again shortly',
        ),
        { cause: error },
      );
    },
  };
}

function unavailable(message: string): DomainError {
  return new DomainError('service_unavailable', message, [
    { retryAfterSeconds: SIGN_RETRY_AFTER_SECONDS },
  ]);
}

/** New signatures written by one sign statement, counted as transitions from `none`. */
export function countNewSignatures(
  metrics: Metrics,
  rows: ReadonlyArray<{ signature_status: SignatureStatus | null }>,
): void {
  const byStatus = new Map<SignatureStatus, number>();
  for (const row of rows) {
    if (row.signature_status)
      byStatus.set(row.signature_status, (byStatus.get(row.signature_status) ?? 0) + 1);
  }
  for (const [to, n] of byStatus) metrics.signatureTransitions.inc({ from: 'none', to }, n);
}
