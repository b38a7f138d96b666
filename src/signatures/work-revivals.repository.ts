import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, type Page, toPage } from '../common/pagination/cursor.js';
import { updateReturning } from '../database/update-returning.js';

/** The work a signature may be owed by a job: its checks, or its mail. */
export type SignatureWork = 'verification' | 'mail';
export const SIGNATURE_WORKS: readonly SignatureWork[] = ['verification', 'mail'];

export interface GivenUpCount {
  work: SignatureWork;
  count: number;
  /** When the oldest of them was given up. */
  since: string;
}

export interface GivenUpSignature {
  signatureId: string;
  petitionId: string;
  work: SignatureWork;
  revivals: number;
  lastRevivedAt: string | null;
  givenUpAt: string;
}

interface GivenUpRow {
  signature_id: string;
  petition_id: string;
  work: SignatureWork;
  revivals: number;
  last_revived_at: Date | null;
  given_up_at: Date;
}

/**
 * `signature_work_revivals`: how often the sweeper re-enqueued a signature's work, and whether it
 * gave up. `owed` conditions are SQL over `signatures s`, written by the sweeper, never by input.
 */
@Injectable()
export class WorkRevivalsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Forgets the signatures no longer owed the work: done, or moved on (withdrawn, say). */
  async forgetDone(work: SignatureWork, owed: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM signature_work_revivals w USING signatures s
        WHERE w.work = $1 AND s.id = w.signature_id AND NOT (${owed})`,
      [work],
    );
  }

  /** How many times each of these signatures' work was revived (absent: never). */
  async revivals(work: SignatureWork, signatureIds: string[]): Promise<Map<string, number>> {
    if (signatureIds.length === 0) return new Map();
    const rows: Array<{ signature_id: string; revivals: number }> = await this.dataSource.query(
      `SELECT signature_id, revivals FROM signature_work_revivals
        WHERE work = $1 AND signature_id = ANY($2::uuid[])`,
      [work, signatureIds],
    );
    return new Map(rows.map((row) => [row.signature_id, row.revivals]));
  }

  async recordRevived(work: SignatureWork, signatureIds: string[]): Promise<void> {
    if (signatureIds.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO signature_work_revivals (signature_id, work, revivals, last_revived_at)
       SELECT id, $1, 1, now() FROM unnest($2::uuid[]) AS id ORDER BY id
       ON CONFLICT (signature_id, work) DO UPDATE
         SET revivals = signature_work_revivals.revivals + 1, last_revived_at = now()`,
      [work, signatureIds],
    );
  }

  async giveUp(work: SignatureWork, signatureIds: string[]): Promise<void> {
    if (signatureIds.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO signature_work_revivals (signature_id, work, given_up_at)
       SELECT id, $1, now() FROM unnest($2::uuid[]) AS id ORDER BY id
       ON CONFLICT (signature_id, work) DO UPDATE
         SET given_up_at = COALESCE(signature_work_revivals.given_up_at, now())`,
      [work, signatureIds],
    );
  }

  /** Per work, how many signatures were given up on (only works with some). */
  async givenUpCounts(): Promise<GivenUpCount[]> {
    const rows: Array<{ work: SignatureWork; count: number; since: Date }> =
      await this.dataSource.query(
        `SELECT work, count(*)::int AS count, min(given_up_at) AS since
           FROM signature_work_revivals WHERE given_up_at IS NOT NULL
          GROUP BY work ORDER BY work`,
      );
    return rows.map((row) => ({
      work: row.work,
      count: row.count,
      since: row.since.toISOString(),
    }));
  }

  /** The given-up signatures, most recently given up first. */
  async listGivenUp(
    work: SignatureWork | undefined,
    limit: number,
    cursor: string | undefined,
  ): Promise<Page<GivenUpSignature>> {
    const after = cursor ? decodeCursor(cursor) : null;
    // Ordered by the time cut to milliseconds, as the cursor holds it (a JS Date's precision).
    const rows: GivenUpRow[] = await this.dataSource.query(
      `SELECT w.signature_id, s.petition_id, w.work, w.revivals, w.last_revived_at,
              date_trunc('milliseconds', w.given_up_at) AS given_up_at
         FROM signature_work_revivals w JOIN signatures s ON s.id = w.signature_id
        WHERE w.given_up_at IS NOT NULL
          AND ($1::text IS NULL OR w.work = $1)
          AND ($2::timestamptz IS NULL
               OR (date_trunc('milliseconds', w.given_up_at), w.signature_id) < ($2, $3::uuid))
        ORDER BY date_trunc('milliseconds', w.given_up_at) DESC, w.signature_id DESC
        LIMIT $4`,
      [work ?? null, after?.at ?? null, after?.id ?? null, limit + 1],
    );
    return toPage(
      rows,
      limit,
      (row) => ({ at: row.given_up_at.toISOString(), id: row.signature_id }),
      (row) => ({
        signatureId: row.signature_id,
        petitionId: row.petition_id,
        work: row.work,
        revivals: row.revivals,
        lastRevivedAt: row.last_revived_at?.toISOString() ?? null,
        givenUpAt: row.given_up_at.toISOString(),
      }),
    );
  }

  /**
   * Lets the sweeper try the given-up signatures again, with a fresh count of revivals. Returns
   * how many there were.
   */
  async retryGivenUp(work: SignatureWork | undefined): Promise<number> {
    const rows = await updateReturning(
      this.dataSource,
      `DELETE FROM signature_work_revivals
        WHERE given_up_at IS NOT NULL AND ($1::text IS NULL OR work = $1)
        RETURNING signature_id`,
      [work ?? null],
    );
    return rows.length;
  }
}
