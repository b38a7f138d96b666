import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

/**
 * The service's Prometheus metrics, in one registry per process. Labels only ever hold names the
 * code chose (a route pattern, a status, a queue, a limit): never an IP, an email, a token or a
 * petition's text.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  /** Requests refused by a rate limit, by the limit's name. */
  readonly rateLimitRefusals = new Counter({
    name: 'countersign_rate_limit_refusals_total',
    help: 'Requests refused by a rate limit, by limit',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  /** Trending alerts raised, by kind (`source` or `email_domain`). */
  readonly alertsRaised = new Counter({
    name: 'countersign_alerts_raised_total',
    help: 'Trending alerts raised, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  /** Signature status changes, by from and to (`none` for a new signature). */
  readonly signatureTransitions = new Counter({
    name: 'countersign_signature_transitions_total',
    help: 'Signature status changes, by from and to status',
    labelNames: ['from', 'to'] as const,
    registers: [this.registry],
  });

  /** Count drift found and corrected by the reconciliation, in signatures, by count column. */
  readonly countDriftCorrected = new Counter({
    name: 'countersign_count_drift_corrected_total',
    help: 'Signatures by which the sharded counts had drifted from the rows when reconciled',
    labelNames: ['column'] as const,
    registers: [this.registry],
  });
}
