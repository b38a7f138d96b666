import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TtlCache } from '../common/cache/ttl-cache.js';

/** One point of a petition's public counts over time. */
export interface CountPoint {
  at: Date;
  verified: number;
  beingChecked: number;
}

/** A chart has room for about this many points; older history is thinned to fit. */
const MAX_POINTS = 120;
const MIN_STEP_SECONDS = 60;
/** The chart is coarse: a page may show it a little late. */
const SERIES_TTL_MS = 15_000;

/**
 * The history of each petition's verified and being-checked counts, written by a repeating job
 * from the count shards (never from the signatures table), and read by the petition page.
 */
@Injectable()
export class CountHistoryService {
  private readonly series = new TtlCache<CountPoint[]>(SERIES_TTL_MS);

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records the current counts of every live petition (open, or written to in the last day)
   * whose counts changed since its last snapshot. One statement; returns how many it wrote.
   */
  async snapshot(): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH live AS (
         SELECT id FROM petitions WHERE status = 'open'
         UNION
         -- Public changes only: an expiry on a long-closed petition adds no point to its chart.
         SELECT DISTINCT petition_id FROM petition_count_shards
          WHERE public_updated_at > now() - interval '1 day'
       ), current AS (
         SELECT c.petition_id, sum(c.verified) AS verified,
                sum(c.pending) + sum(c.needs_review) AS being_checked
           FROM petition_count_shards c JOIN live ON live.id = c.petition_id
          GROUP BY c.petition_id
       )
       INSERT INTO petition_count_snapshots (petition_id, at, verified, being_checked)
       SELECT cur.petition_id, now(), cur.verified, cur.being_checked
         FROM current cur
         LEFT JOIN LATERAL (
           SELECT verified, being_checked FROM petition_count_snapshots s
            WHERE s.petition_id = cur.petition_id ORDER BY at DESC LIMIT 1
         ) last ON true
        WHERE last.verified IS DISTINCT FROM cur.verified
           OR last.being_checked IS DISTINCT FROM cur.being_checked
       ON CONFLICT DO NOTHING
       RETURNING petition_id`,
    );
    return rows.length;
  }

  /**
   * The petition's history since `from`, at most about MAX_POINTS points: the last snapshot of
   * each time step, the step growing with the petition's age.
   */
  history(petitionId: string, from: Date): CountPoint[] | Promise<CountPoint[]> {
    return this.series.get(petitionId, async () => {
      const ageSeconds = Math.max(0, (Date.now() - from.getTime()) / 1000);
      const step = Math.max(MIN_STEP_SECONDS, Math.ceil(ageSeconds / MAX_POINTS));
      const rows: Array<{ at: Date; verified: string; being_checked: string }> =
        await this.dataSource.query(
          `SELECT DISTINCT ON (date_bin($2::interval, at, $3::timestamptz))
                  at, verified, being_checked
             FROM petition_count_snapshots
            WHERE petition_id = $1 AND at >= $3::timestamptz
            ORDER BY date_bin($2::interval, at, $3::timestamptz), at DESC`,
          [petitionId, `${step} seconds`, from],
        );
      return rows.map((row) => ({
        at: row.at,
        verified: Number(row.verified),
        beingChecked: Number(row.being_checked),
      }));
    });
  }
}
