import { Injectable, Logger } from '@nestjs/common';
import { KeyRing } from '../keys/key-ring.service.js';
import { RetentionRepository } from './retention.repository.js';

/** At most this many petitions per run; the next run takes the rest. */
const PER_RUN = 100;

/**
 * Retention by crypto-shredding (job `erase-expired-personal-data`, every
 * RETENTION_SWEEP_INTERVAL_SECONDS): for each petition whose `retention_ends_at` has passed, its
 * keys are destroyed, so every copy of its ciphertexts and blind indexes (in replicas, dumps, WAL)
 * is unreadable, and its personal fields are erased. Counts, statuses, events and district totals
 * stay. Idempotent and safe with many workers (see RetentionRepository).
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly repository: RetentionRepository,
    private readonly keys: KeyRing,
  ) {}

  async eraseDue(now = new Date()): Promise<{ erased: number }> {
    let erased = 0;
    while (erased < PER_RUN) {
      const id = await this.repository.eraseNextDue(now);
      if (id === null) break;
      // This process's copy; other processes' cached copies lapse within the cache's lifetime,
      // and nothing is left for them to decrypt.
      this.keys.forget(id);
      erased++;
      this.logger.log({
        msg: 'petition signer data erased at the end of retention',
        petitionId: id,
      });
    }
    return { erased };
  }
}
