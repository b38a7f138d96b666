import { Injectable } from '@nestjs/common';
import { VerificationService, type VerificationOutcome } from './verification.service.js';

const BATCH_WAIT_MS = 2;
const BATCH_MAX = 64;

interface Waiting {
  id: string;
  resolve: (outcome: VerificationOutcome | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Joins the verification jobs a worker runs at the same moment into one `verify` call: one query
 * loads all their signatures and one statement per decision moves them, instead of two per job.
 * Each job still succeeds or fails on its own terms (a failed batch fails, and retries, each job).
 */
@Injectable()
export class VerificationBatcher {
  private waiting: Waiting[] = [];
  private timer?: NodeJS.Timeout;

  constructor(private readonly verification: VerificationService) {}

  verify(signatureId: string): Promise<VerificationOutcome | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ id: signatureId, resolve, reject });
      if (this.waiting.length >= BATCH_MAX) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), BATCH_WAIT_MS);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    this.verification.verify([...new Set(batch.map((w) => w.id))]).then(
      (outcomes) => {
        const byId = new Map(outcomes.map((o) => [o.id, o]));
        for (const w of batch) w.resolve(byId.get(w.id));
      },
      (error: unknown) => {
        for (const w of batch) w.reject(error);
      },
    );
  }
}
