import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TimeIdCursor } from '../common/pagination/cursor.js';
import { updateReturning } from '../database/update-returning.js';
import type { BlockKind } from './block-rules.js';

export type AlertKind = BlockKind;
export const ALERT_STATUSES = ['open', 'acknowledged'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export interface AlertRow {
  id: string;
  petition_id: string;
  kind: AlertKind;
  email_domain: string | null;
  /** For a source: one of its signatures, one that still carries the source when there is one. */
  source_signature_id: string | null;
  count: number;
  window_start: Date;
  window_end: Date;
  raised_at: Date;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
}

/**
 * An alert names its source by a signature id, never by the hash: the one noted when it was
 * raised while that still carries the source, else the source's newest signature on the
 * petition (a withdrawal erases a signature's source), else the noted one.
 */
const COLUMNS = `a.id, a.petition_id, a.kind, a.email_domain, a.count, a.window_start,
  a.window_end, a.raised_at, a.acknowledged_by, a.acknowledged_at,
  CASE WHEN a.kind = 'source' THEN coalesce(
    (SELECT s.id FROM signatures s
      WHERE s.id = a.sample_signature_id AND s.source_index = a.source_index),
    (SELECT s.id FROM signatures s
      WHERE s.petition_id = a.petition_id AND s.source_index = a.source_index
      ORDER BY s.created_at DESC LIMIT 1),
    a.sample_signature_id) END AS source_signature_id`;

/** The SQL of `trending_alerts`. */
@Injectable()
export class AlertsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The trending job, in one statement: every source and every email domain with at least
   * `threshold` signatures on one open petition in the hour before now raises an alert, unless
   * one already covers part of that hour (the exclusion constraint, so concurrent runs on many
   * workers raise it once). One scan of the hour's signatures (signatures_created_idx) counts
   * both kinds at once, by grouping sets. Returns what it raised.
   */
  async raiseTrending(threshold: number): Promise<Array<{ id: string; kind: AlertKind }>> {
    return this.dataSource.query(
      `WITH recent AS (
         SELECT s.id, s.petition_id, s.source_index, s.email_domain
           FROM signatures s
          WHERE s.created_at >= now() - interval '1 hour'
            AND s.petition_id IN (SELECT p.id FROM petitions p WHERE p.status = 'open')
       ), trending AS (
         SELECT petition_id, source_index, email_domain,
                GROUPING(source_index) = 1 AS by_domain,
                count(*)::int AS n,
                min(id::text) FILTER (WHERE source_index IS NOT NULL) AS sample
           FROM recent
          GROUP BY GROUPING SETS ((petition_id, source_index), (petition_id, email_domain))
         HAVING count(*) >= $1
       )
       INSERT INTO trending_alerts (petition_id, kind, email_domain, source_index,
                                    sample_signature_id, count, window_start, window_end)
       SELECT petition_id,
              CASE WHEN by_domain THEN 'email_domain' ELSE 'source' END,
              CASE WHEN by_domain THEN email_domain END,
              CASE WHEN by_domain THEN NULL ELSE source_index END,
              CASE WHEN by_domain THEN NULL ELSE sample::uuid END,
              n, now() - interval '1 hour', now()
         FROM trending
        WHERE CASE WHEN by_domain THEN email_domain IS NOT NULL ELSE source_index IS NOT NULL END
        -- One order for every run: two runs inserting the same alerts in different orders could
        -- each wait for the other's row (a deadlock) instead of one skipping the other's.
        ORDER BY petition_id, by_domain, coalesce(email_domain, encode(source_index, 'hex'))
       ON CONFLICT DO NOTHING
       RETURNING id, kind`,
      [threshold],
    );
  }

  async find(id: string): Promise<AlertRow | null> {
    const [row]: AlertRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM trending_alerts a WHERE a.id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** Newest first, keyset-paginated on (raised_at, id). */
  async list(filter: {
    status: AlertStatus;
    petitionId?: string;
    after: TimeIdCursor | null;
    limit: number;
  }): Promise<AlertRow[]> {
    // A literal condition per status, so each uses its partial index.
    const status =
      filter.status === 'open' ? 'a.acknowledged_at IS NULL' : 'a.acknowledged_at IS NOT NULL';
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM trending_alerts a
        WHERE ${status}
          AND ($1::uuid IS NULL OR a.petition_id = $1::uuid)
          AND ($2::timestamptz IS NULL OR (a.raised_at, a.id) < ($2::timestamptz, $3::uuid))
        ORDER BY a.raised_at DESC, a.id DESC LIMIT $4`,
      [filter.petitionId ?? null, filter.after?.at ?? null, filter.after?.id ?? null, filter.limit],
    );
  }

  /** Records who acknowledged it; one already acknowledged keeps its first acknowledgement. */
  async acknowledge(id: string, moderatorId: string): Promise<boolean> {
    const rows = await updateReturning<{ id: string }>(
      this.dataSource,
      `UPDATE trending_alerts SET acknowledged_by = $2, acknowledged_at = now()
        WHERE id = $1 AND acknowledged_at IS NULL RETURNING id`,
      [id, moderatorId],
    );
    return rows.length > 0;
  }
}
