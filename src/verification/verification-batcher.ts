import { Injectable } from '@nestjs/common';
import { InFlightBatcher } from '../common/batching/in-flight-batcher.js';
import { VerificationService, type VerificationOutcome } from './verification.service.js';

/**
 * Joins the verification jobs a worker runs at the same moment into one `verify` call: one query
 * loads all their signatures, one query per check reads what the checks need for all of them,
 * and one statement per decision moves them. Each job still succeeds or fails on its own terms:
 * when a batch fails, its signatures are verified one by one, so only a failing one's job fails.
 */
@Injectable()
export class VerificationBatcher {
  private readonly batcher: InFlightBatcher<string, VerificationOutcome | undefined | Error>;

  constructor(verification: VerificationService) {
    this.batcher = new InFlightBatcher(
      async (ids) => {
        const unique = [...new Set(ids)];
        try {
          const byId = new Map((await verification.verify(unique)).map((o) => [o.id, o]));
          return ids.map((id) => byId.get(id));
        } catch (error) {
          if (unique.length === 1) return ids.map(() => error as Error);
          // One signature that makes the batch fail must not hold up the others: each alone.
          const alone = new Map<string, VerificationOutcome | undefined | Error>();
          for (const id of unique) {
            alone.set(
              id,
              await verification.verify([id]).then(
                (o) => o[0],
                (e: Error) => e,
              ),
            );
          }
          return ids.map((id) => alone.get(id));
        }
      },
      { maxBatch: 500, maxInFlight: 2 },
    );
  }

  async verify(signatureId: string): Promise<VerificationOutcome | undefined> {
    const outcome = await this.batcher.add(signatureId);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }
}
