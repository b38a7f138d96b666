import { Injectable } from '@nestjs/common';
import { InFlightBatcher } from '../common/batching/in-flight-batcher.js';
import { isDependencyDown } from '../common/errors/dependency-down.js';
import { VerificationService, type VerificationOutcome } from './verification.service.js';

/**
 * Joins the verification jobs a worker runs at the same moment into one `verify` call: one query
 * loads all their signatures, one query per check reads what the checks need for all of them,
 * and one statement per decision moves them. Each job still succeeds or fails on its own terms:
 * when a batch fails, the batcher verifies its signatures one by one, so only a failing one's job
 * fails. When the database is down they all fail at once, and BullMQ retries them with backoff.
 */
@Injectable()
export class VerificationBatcher {
  private readonly batcher: InFlightBatcher<string, VerificationOutcome | undefined>;

  constructor(verification: VerificationService) {
    this.batcher = new InFlightBatcher(
      async (ids) => {
        const outcomes = await verification.verify([...new Set(ids)]);
        const byId = new Map(outcomes.map((o) => [o.id, o]));
        return ids.map((id) => byId.get(id));
      },
      {
        maxBatch: 500,
        maxInFlight: 2,
        sharedFailure: (error) => (isDependencyDown(error) ? error : undefined),
      },
    );
  }

  verify(signatureId: string): Promise<VerificationOutcome | undefined> {
    return this.batcher.add(signatureId);
  }
}
