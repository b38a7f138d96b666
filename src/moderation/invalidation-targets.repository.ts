import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * The SQL behind the second-moderator rule and the `matched` ceiling.
 *
 * The rule counts, per moderator and petition over a rolling 24 hours, what that moderator's
 * invalidations change without a second moderator:
 * - `awaiting_approval` and `running` ones count their `matched` (what they would change);
 * - `completed` and `cancelled` ones count their `processed` (what they did change: a request
 *   cancelled before it ran counts 0, one cancelled mid-run counts the batches it finished);
 * - dry runs (`preview`) change nothing and count 0;
 * - one a second moderator approved does not count: it was not this moderator's alone.
 */
@Injectable()
export class InvalidationTargetsRepository {
  /**
   * Serialises the requests of one moderator on one petition until the transaction ends, so two
   * requests made at once cannot both see the total before the other and both run.
   */
  async lockRequester(m: EntityManager, moderatorId: string, petitionId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `invalidation-requests:${moderatorId}:${petitionId}`,
    ]);
  }

  /** What this moderator's invalidations of this petition changed, or will, on their own (see above). */
  async unapprovedTotal(
    m: EntityManager,
    moderatorId: string,
    petitionId: string,
  ): Promise<number> {
    const [{ total }]: Array<{ total: number }> = await m.query(
      `SELECT coalesce(sum(CASE WHEN status IN ('completed', 'cancelled') THEN processed
                                ELSE matched END), 0)::int AS total
         FROM invalidations
        WHERE petition_id = $1 AND requested_by = $2 AND approved_by IS NULL
          AND status <> 'preview' AND created_at > now() - interval '24 hours'`,
      [petitionId, moderatorId],
    );
    return total;
  }

  /**
   * Records, by id, the signatures `where` (over `signatures s`) matches now: all the invalidation
   * may ever change. Returns how many.
   */
  async record(
    m: EntityManager,
    invalidationId: string,
    where: string,
    params: unknown[],
  ): Promise<number> {
    const [{ n }]: Array<{ n: number }> = await m.query(
      `WITH recorded AS (
         INSERT INTO invalidation_targets (invalidation_id, signature_id)
         SELECT $${params.length + 1}::uuid, s.id FROM signatures s WHERE ${where}
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM recorded`,
      [...params, invalidationId],
    );
    return n;
  }

  /** The SQL condition (over `signatures s`) "is one of the invalidation's targets". */
  targetClause(param: string): string {
    return `EXISTS (SELECT 1 FROM invalidation_targets t
                     WHERE t.invalidation_id = ${param} AND t.signature_id = s.id)`;
  }

  /** Once it has finished or is cancelled its targets are no longer needed (its events remain). */
  async forget(db: DataSource | EntityManager, invalidationId: string): Promise<void> {
    await db.query(`DELETE FROM invalidation_targets WHERE invalidation_id = $1`, [invalidationId]);
  }
}
