import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { JobProducer } from '../queue/job-producer.js';
import { JobName } from '../queue/queue-names.js';

const PAGE = 1_000;
const MAX_PAGES = 50;

type KeyedJobName = JobName.VerifySignature | JobName.SendSignerMail;

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
      JobName.VerifySignature,
      `status = 'pending' AND updated_at < now() - make_interval(secs => $1)`,
      'updated_at',
    );
    const mail = await this.revive(
      JobName.SendSignerMail,
      `token_encrypted IS NOT NULL AND created_at < now() - make_interval(secs => $1)`,
      'created_at',
    );
    if (verification + mail > 0) {
      this.logger.warn(`re-enqueued lost work: ${verification} verification, ${mail} mail`);
    }
    return { verification, mail };
  }

  private async revive(name: KeyedJobName, where: string, orderBy: string): Promise<number> {
    let revived = 0;
    // The cursor keeps PostgreSQL's own text of the timestamp: a JS Date would cut microseconds,
    // and rows written by one statement (an import) share one timestamp down to the microsecond.
    let after: { at: string; id: string } | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const rows: Array<{ id: string; at: string }> = await this.dataSource.query(
        `SELECT id, ${orderBy}::text AS at FROM signatures
          WHERE ${where} AND ($2::timestamptz IS NULL OR (${orderBy}, id) > ($2::timestamptz, $3::uuid))
          ORDER BY ${orderBy}, id LIMIT ${PAGE}`,
        [this.config.sweepStaleSeconds, after?.at ?? null, after?.id ?? null],
      );
      if (rows.length === 0) break;
      revived += await this.producer.ensureLive(
        name,
        rows.map((row) => ({ id: row.id, payload: { signatureId: row.id } })),
      );
      if (rows.length < PAGE) break;
      const last = rows[rows.length - 1];
      after = { at: last.at, id: last.id };
    }
    return revived;
  }
}
