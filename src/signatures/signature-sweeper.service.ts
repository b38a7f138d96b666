import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { JobProducer } from '../queue/job-producer.js';
import { JobName } from '../queue/queue-names.js';

const PAGE = 1_000;
const MAX_PAGES = 50;

/** The job for one signature, and the job for a work batch of them, of each kind of work. */
const JOBS = {
  verification: { single: JobName.VerifySignature, batch: JobName.VerifySignatures },
  mail: { single: JobName.SendSignerMail, batch: JobName.SendSignerMails },
} as const;

/**
 * PostgreSQL is the truth and Redis only the work list, so work can be lost there (Redis flushed
 * or restarted empty, an enqueue that failed, a job that used up its retries) and never here.
 * The sweeper finds signatures still owed work after a grace period and makes sure each has a
 * live job: it adds missing ones, retries failed ones and leaves waiting or running ones alone.
 */
@Injectable()
export class SignatureSweeper {
  private readonly logger = new Logger(SignatureSweeper.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: JobProducer,
    private readonly config: AppConfig,
  ) {}

  async sweep(): Promise<{ verification: number; mail: number }> {
    const verification = await this.revive(
      JOBS.verification,
      `status = 'pending' AND updated_at < now() - make_interval(secs => $1)`,
      'updated_at',
    );
    const mail = await this.revive(
      JOBS.mail,
      `token_encrypted IS NOT NULL AND created_at < now() - make_interval(secs => $1)`,
      'created_at',
    );
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
  private async revive(
    jobs: (typeof JOBS)[keyof typeof JOBS],
    where: string,
    orderBy: string,
  ): Promise<number> {
    let revived = 0;
    // Batches are gathered over all pages first: a batch's job, once added again, would make
    // the sweep skip its signatures on a later page. (One still split by MAX_PAGES is covered
    // once the job it has ends: then it is gone again, and the next sweep adds it.)
    const batches = new Map<string, string[]>();
    // The cursor keeps PostgreSQL's own text of the timestamp: a JS Date would cut microseconds,
    // and rows written by one statement (an import) share one timestamp down to the microsecond.
    let after: { at: string; id: string } | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const rows: Array<{ id: string; at: string; work_batch: string | null }> =
        await this.dataSource.query(
          `SELECT id, work_batch, ${orderBy}::text AS at FROM signatures
          WHERE ${where} AND ($2::timestamptz IS NULL OR (${orderBy}, id) > ($2::timestamptz, $3::uuid))
          ORDER BY ${orderBy}, id LIMIT ${PAGE}`,
          [this.config.sweepStaleSeconds, after?.at ?? null, after?.id ?? null],
        );
      if (rows.length === 0) break;
      for (const row of rows) {
        if (row.work_batch !== null) {
          batches.set(row.work_batch, [...(batches.get(row.work_batch) ?? []), row.id]);
        }
      }
      const single = rows.filter((row) => row.work_batch === null);
      revived += (
        await this.producer.ensureLive(
          jobs.single,
          single.map((row) => ({ id: row.id, payload: { signatureId: row.id } })),
        )
      ).length;
      if (rows.length < PAGE) break;
      const last = rows[rows.length - 1];
      after = { at: last.at, id: last.id };
    }
    const added = await this.producer.ensureLive(
      jobs.batch,
      [...batches].map(([batchId, signatureIds]) => ({
        id: batchId,
        payload: { batchId, signatureIds },
      })),
    );
    return revived + added.reduce((sum, job) => sum + job.payload.signatureIds.length, 0);
  }
}
