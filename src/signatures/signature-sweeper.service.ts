import { Injectable, Logger } from '@nestjs/common';
import type { JobsOptions } from 'bullmq';
import { DataSource } from 'typeorm';
import { Metrics } from '../common/metrics/metrics.js';
import { AppConfig } from '../config/app-config.js';
import type { KeyedJob } from '../queue/job-producer.js';
import { JobProducer } from '../queue/job-producer.js';
import { JobName } from '../queue/queue-names.js';
import { IMPORT_RECEIPT_PRIORITY } from './import.service.js';
import { type SignatureWork, WorkRevivalsRepository } from './work-revivals.repository.js';

const PAGE = 1_000;
const MAX_PAGES = 50;

/**
 * Each kind of work: the job for one signature and for a work batch of them, which signatures
 * are owed it (SQL over `signatures s`), and since when (the sweep waits SWEEP_STALE_SECONDS).
 */
const WORK = {
  verification: {
    single: JobName.VerifySignature,
    batch: JobName.VerifySignatures,
    owed: `s.status = 'pending'`,
    since: 's.updated_at',
  },
  mail: {
    single: JobName.SendSignerMail,
    batch: JobName.SendSignerMails,
    owed: `s.token_encrypted IS NOT NULL`,
    since: 's.created_at',
  },
} as const;

/**
 * PostgreSQL is the truth and Redis only the work list, so work can be lost there (Redis flushed
 * or restarted empty, an enqueue that failed, a job that used up its retries) and never here.
 * The sweeper finds signatures still owed work after a grace period and makes sure each has a
 * live job: it adds missing ones, retries failed ones and leaves waiting or running ones alone.
 *
 * Work that keeps failing is not retried forever: after SWEEP_MAX_REVIVALS re-enqueues of a
 * signature's work (counted in `signature_work_revivals`, so restarts and a lost Redis do not
 * reset it) the sweeper gives up on it. The signature stays as it is in PostgreSQL, its failed job
 * stays on the queue board, and it is reported in /health and /metrics until an operator retries
 * it (POST /v1/operations/given-up-work/retry) or the signature no longer needs the work.
 */
@Injectable()
export class SignatureSweeper {
  private readonly logger = new Logger(SignatureSweeper.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: JobProducer,
    private readonly config: AppConfig,
    private readonly revivals: WorkRevivalsRepository,
    private readonly metrics: Metrics,
  ) {}

  async sweep(): Promise<{ verification: number; mail: number }> {
    const verification = await this.revive('verification');
    const mail = await this.revive('mail');
    if (verification + mail > 0) {
      this.logger.warn(`re-enqueued lost work: ${verification} verification, ${mail} mail`);
    }
    return { verification, mail };
  }

  /**
   * Returns how many signatures it re-enqueued. A signature written with others (`work_batch`)
   * is covered by its batch's job: if that is gone, it is added again under the same id, for
   * those of its signatures still owed the work.
   */
  private async revive(work: SignatureWork): Promise<number> {
    const kind = WORK[work];
    await this.revivals.forgetDone(work, kind.owed);
    let revived = 0;
    // Batches are gathered over all pages first: a batch's job, once added again, would make
    // the sweep skip its signatures on a later page. (One still split by MAX_PAGES is covered
    // once the job it has ends: then it is gone again, and the next sweep adds it.)
    const batches = new Map<string, string[]>();
    // An import's receipts go again as they went first: paced, behind signers' own mails.
    const receiptBatches = new Set<string>();
    // The cursor keeps PostgreSQL's own text of the timestamp: a JS Date would cut microseconds,
    // and rows written by one statement (an import) share one timestamp down to the microsecond.
    let after: { at: string; id: string } | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const rows: Array<{ id: string; at: string; work_batch: string | null; origin: string }> =
        await this.dataSource.query(
          `SELECT s.id, s.work_batch, s.origin, ${kind.since}::text AS at FROM signatures s
            WHERE ${kind.owed} AND ${kind.since} < now() - make_interval(secs => $1)
              AND ($2::timestamptz IS NULL OR (${kind.since}, s.id) > ($2::timestamptz, $3::uuid))
              AND NOT EXISTS (SELECT 1 FROM signature_work_revivals w
                               WHERE w.signature_id = s.id AND w.work = $4
                                 AND w.given_up_at IS NOT NULL)
            ORDER BY ${kind.since}, s.id LIMIT ${PAGE}`,
          [this.config.sweepStaleSeconds, after?.at ?? null, after?.id ?? null, work],
        );
      if (rows.length === 0) break;
      for (const row of rows) {
        if (row.work_batch !== null) {
          batches.set(row.work_batch, [...(batches.get(row.work_batch) ?? []), row.id]);
          if (work === 'mail' && row.origin === 'import') receiptBatches.add(row.work_batch);
        }
      }
      const single = rows
        .filter((row) => row.work_batch === null)
        .map((row) => ({ id: row.id, payload: { signatureId: row.id } }));
      revived += await this.reviveDead(work, kind.single, single, (job) => [
        job.payload.signatureId,
      ]);
      if (rows.length < PAGE) break;
      const last = rows[rows.length - 1];
      after = { at: last.at, id: last.id };
    }
    const batchJobs = [...batches].map(([batchId, signatureIds]) => ({
      id: batchId,
      payload: { batchId, signatureIds },
    }));
    const narrow = <J extends { payload: { signatureIds: string[] } }>(job: J, ids: string[]) => ({
      ...job,
      payload: { ...job.payload, signatureIds: ids },
    });
    revived += await this.reviveDead(
      work,
      kind.batch,
      batchJobs.filter((job) => !receiptBatches.has(job.id)),
      (job) => job.payload.signatureIds,
      narrow,
    );
    revived += await this.reviveDead(
      work,
      JobName.SendImportReceipts,
      batchJobs.filter((job) => receiptBatches.has(job.id)),
      (job) => job.payload.signatureIds,
      narrow,
      { priority: IMPORT_RECEIPT_PRIORITY },
    );
    return revived;
  }

  /**
   * Adds again those of these jobs that are not live, except for signatures whose work was
   * revived SWEEP_MAX_REVIVALS times already: those are given up (a batch's job goes again for
   * the rest of its signatures, `narrow`ed to them). Returns how many signatures it re-enqueued.
   */
  private async reviveDead<N extends JobName>(
    work: SignatureWork,
    name: N,
    jobs: Array<KeyedJob<N>>,
    signaturesOf: (job: KeyedJob<N>) => string[],
    narrow: (job: KeyedJob<N>, signatureIds: string[]) => KeyedJob<N> = (job) => job,
    options: Pick<JobsOptions, 'priority'> = {},
  ): Promise<number> {
    if (jobs.length === 0) return 0;
    const dead = await this.producer.notLive(name, jobs);
    if (dead.length === 0) return 0;
    const counts = await this.revivals.revivals(work, dead.flatMap(signaturesOf));
    const exhausted = (id: string) => (counts.get(id) ?? 0) >= this.config.sweepMaxRevivals;
    const givenUp = dead.flatMap(signaturesOf).filter(exhausted);
    const again = dead.flatMap((job) => {
      const ids = signaturesOf(job).filter((id) => !exhausted(id));
      return ids.length === 0 ? [] : [narrow(job, ids)];
    });
    if (givenUp.length > 0) {
      await this.revivals.giveUp(work, givenUp);
      this.logger.error(
        `gave up on the ${work} of ${givenUp.length} signature(s) after ` +
          `${this.config.sweepMaxRevivals} re-enqueues; see /health and GET /v1/operations/given-up-work`,
      );
    }
    if (again.length === 0) return 0;
    await this.producer.addAgain(name, again, options);
    const revivedIds = again.flatMap(signaturesOf);
    await this.revivals.recordRevived(work, revivedIds);
    this.metrics.workRevived.inc({ work }, again.length);
    return revivedIds.length;
  }
}
