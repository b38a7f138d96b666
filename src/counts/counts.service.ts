import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TtlCache } from '../common/cache/ttl-cache.js';
import { Metrics } from '../common/metrics/metrics.js';
import {
  COUNT_COLUMN,
  PUBLIC_COUNT_STATUSES,
  SignatureStatus,
} from '../signatures/signature-status.js';
import { COUNT_SHARDS } from './count-shards.js';
import { AppConfig } from '../config/app-config.js';
import { districtKey } from '../registers/district-key.js';
import {
  type DistrictCountsResponse,
  type PetitionCounts,
  type SignatureCounts,
  ZERO_COUNTS,
  ZERO_PETITION_COUNTS,
} from './signature-counts.js';

/** Counts are read far more often than they change: each process keeps them this long. */
const COUNTS_TTL_MS = 1_000;
const DISTRICTS_TTL_MS = 2_000;

const COLUMNS = Object.values(COUNT_COLUMN);
const PUBLIC_COLUMNS = PUBLIC_COUNT_STATUSES.map((status) => COUNT_COLUMN[status]);
const FIELD: Record<string, keyof Omit<SignatureCounts, 'updatedAt'>> = {
  unconfirmed: 'unconfirmed',
  pending: 'pending',
  needs_review: 'needsReview',
  verified: 'verified',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
  expired: 'expired',
};

type ShardRow = Record<string, string | Date | null> & { petition_id: string };

export interface CountDrift {
  petitionId: string;
  before: SignatureCounts;
  after: SignatureCounts;
}

/**
 * Per-status counts of a petition's signatures, summed from its count shards; at most about a
 * second old. Reconciliation recomputes them from the rows.
 */
@Injectable()
export class CountsService {
  private readonly logger = new Logger(CountsService.name);
  private readonly counts = new TtlCache<PetitionCounts>(COUNTS_TTL_MS);
  private readonly districtCounts = new TtlCache<DistrictCountsResponse>(DISTRICTS_TTL_MS);
  private readonly registerDistrictNames = new TtlCache<Map<string, string>>(600_000, 100);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  /**
   * The counts of one petition, both views (pick one with `countsFor`). Cached counts come
   * without a promise; they are shared by every reader until they expire, so they must not be
   * changed.
   */
  get(petitionId: string): PetitionCounts | Promise<PetitionCounts> {
    return this.counts.get(petitionId, async () => {
      const rows = await this.sumShards([petitionId]);
      return rows.get(petitionId) ?? ZERO_PETITION_COUNTS;
    });
  }

  /** Counts of several petitions (a list page) in one query. */
  async getMany(petitionIds: string[]): Promise<Map<string, PetitionCounts>> {
    if (petitionIds.length === 0) return new Map();
    const sums = await this.sumShards(petitionIds);
    return new Map(petitionIds.map((id) => [id, sums.get(id) ?? ZERO_PETITION_COUNTS]));
  }

  /**
   * Verified signatures per district, largest first. With a register, one row per register
   * district, named as the register writes it, whatever spelling signers used (districts compare
   * by district key); a district the register does not list is not shown on its own. Without
   * one, districts are grouped by key (case, spacing and Cyrillic or Latin spelling fold away)
   * and named as most of their signers wrote it. Districts with fewer than DISTRICT_MIN_COUNT,
   * and signers who gave none, are summed into `otherVerified`: a small district would single
   * out its one or two signers, who may have asked not to be listed.
   */
  districts(petitionId: string): DistrictCountsResponse | Promise<DistrictCountsResponse> {
    return this.districtCounts.get(petitionId, async () => {
      // One row per spelling: far fewer than signatures, and folded here by the same key function
      // that the register and the checks use.
      const rows: Array<{ district: string | null; verified: string }> =
        await this.dataSource.query(
          `SELECT btrim(district) AS district, count(*) AS verified FROM signatures
            WHERE petition_id = $1 AND status = 'verified' GROUP BY 1`,
          [petitionId],
        );
      const registerNames = await this.registerDistricts(petitionId);
      const groups = new Map<string, { total: number; spellings: Map<string, number> }>();
      let total = 0;
      for (const row of rows) {
        const verified = Number(row.verified);
        total += verified;
        const key = districtKey(row.district);
        if (key === null || row.district === null) continue;
        if (registerNames && !registerNames.has(key)) continue;
        const group = groups.get(key) ?? { total: 0, spellings: new Map<string, number>() };
        group.total += verified;
        group.spellings.set(row.district, (group.spellings.get(row.district) ?? 0) + verified);
        groups.set(key, group);
      }
      const min = this.config.districtMinCount;
      const items = [...groups]
        .filter(([, group]) => group.total >= min)
        .map(([key, group]) => ({
          district: registerNames?.get(key) ?? mostWritten(group.spellings),
          verified: group.total,
        }))
        .sort((a, b) => b.verified - a.verified || a.district.localeCompare(b.district));
      return {
        items,
        otherVerified: total - items.reduce((sum, item) => sum + item.verified, 0),
      };
    });
  }

  /** The districts of the petition's register's current version, by key; null without one. */
  private async registerDistricts(petitionId: string): Promise<Map<string, string> | null> {
    const [register]: Array<{ id: string; version: number }> = await this.dataSource.query(
      `SELECT r.id, r.version FROM petitions p JOIN eligibility_registers r ON r.id = p.register_id
        WHERE p.id = $1`,
      [petitionId],
    );
    if (!register) return null;
    // A version's entries never change (an upload makes a new one), so its districts are kept.
    return this.registerDistrictNames.get(`${register.id}:${register.version}`, async () => {
      const rows: Array<{ district_key: string; district: string }> = await this.dataSource.query(
        `SELECT DISTINCT ON (district_key) district_key, district FROM register_entries
          WHERE register_id = $1 AND version = $2 AND district_key IS NOT NULL
          ORDER BY district_key, row_number`,
        [register.id, register.version],
      );
      return new Map(rows.map((row) => [row.district_key, row.district]));
    });
  }

  /**
   * Compares the shards with the rows and corrects any drift. The comparison reads both in one
   * snapshot without locks, so it does not slow signing; only a petition that really drifted is
   * locked and rewritten.
   */
  async reconcile(petitionId: string): Promise<CountDrift | null> {
    const consistent = await this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const shards = await this.sumShards([petitionId], m.query.bind(m));
      const rows = await this.countRows(petitionId, m.query.bind(m));
      return sameCounts(shards.get(petitionId)?.moderator ?? ZERO_COUNTS, rows);
    });
    if (consistent) return null;

    const drift = await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO petition_count_shards (petition_id, shard)
         SELECT $1, g FROM generate_series(0, $2 - 1) AS g ON CONFLICT DO NOTHING`,
        [petitionId, COUNT_SHARDS],
      );
      // Writers hold at most one shard each, so taking all of them in order cannot deadlock.
      await m.query(
        `SELECT 1 FROM petition_count_shards WHERE petition_id = $1 ORDER BY shard FOR UPDATE`,
        [petitionId],
      );
      const before = (await this.sumShards([petitionId], m.query.bind(m))).get(
        petitionId,
      )!.moderator;
      const after = await this.countRows(petitionId, m.query.bind(m));
      if (sameCounts(before, after)) return null;
      await m.query(
        `UPDATE petition_count_shards SET
           ${COLUMNS.map((col, i) => `${col} = CASE WHEN shard = 0 THEN $${i + 2}::bigint ELSE 0 END`).join(', ')},
           updated_at = now(),
           public_updated_at = CASE WHEN $${COLUMNS.length + 2}::boolean THEN now()
                                    ELSE public_updated_at END
         WHERE petition_id = $1`,
        [
          petitionId,
          ...COLUMNS.map((col) => after[FIELD[col]]),
          // A correction the public can see is a change of the public counts; one of the
          // moderators' columns alone is not.
          PUBLIC_COLUMNS.some((col) => before[FIELD[col]] !== after[FIELD[col]]),
        ],
      );
      this.logger.warn({
        msg: 'corrected signature counts that had drifted from the rows',
        petitionId,
        before: withoutTime(before),
        after: withoutTime(after),
      });
      return { petitionId, before, after };
    });
    if (drift) this.countDrift(drift);
    return drift;
  }

  /** Counted once committed: by how many signatures each column was off. */
  private countDrift({ before, after }: CountDrift): void {
    for (const col of COLUMNS) {
      const off = Math.abs(before[FIELD[col]] - after[FIELD[col]]);
      if (off > 0) this.metrics.countDriftCorrected.inc({ column: col }, off);
    }
  }

  /** Petitions whose counts may still change: open ones and those written to in the last day. */
  async livePetitionIds(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM petitions WHERE status = 'open'
       UNION
       SELECT DISTINCT petition_id FROM petition_count_shards
        WHERE updated_at > now() - interval '1 day'`,
    );
    return rows.map((row) => row.id);
  }

  private async sumShards(
    petitionIds: string[],
    query: (sql: string, params: unknown[]) => Promise<ShardRow[]> = (sql, params) =>
      this.dataSource.query(sql, params),
  ): Promise<Map<string, PetitionCounts>> {
    const rows = await query(
      `SELECT petition_id, ${COLUMNS.map((col) => `sum(${col}) AS ${col}`).join(', ')},
              max(updated_at) AS updated_at, max(public_updated_at) AS public_updated_at
         FROM petition_count_shards WHERE petition_id = ANY($1::uuid[]) GROUP BY petition_id`,
      [petitionIds],
    );
    return new Map(rows.map((row) => [row.petition_id, toCounts(row)]));
  }

  private async countRows(
    petitionId: string,
    query: (sql: string, params: unknown[]) => Promise<Array<{ status: string; n: string }>>,
  ): Promise<SignatureCounts> {
    const rows = await query(
      `SELECT status, count(*) AS n FROM signatures WHERE petition_id = $1 GROUP BY status`,
      [petitionId],
    );
    const counts: SignatureCounts = { ...ZERO_COUNTS, updatedAt: new Date().toISOString() };
    for (const row of rows)
      counts[FIELD[COUNT_COLUMN[row.status as SignatureStatus]]] = Number(row.n);
    return counts;
  }
}

function toCounts(row: ShardRow): PetitionCounts {
  const counts: SignatureCounts = { ...ZERO_COUNTS };
  for (const col of COLUMNS) counts[FIELD[col]] = Number(row[col] ?? 0);
  counts.updatedAt = iso(row.updated_at);
  return {
    moderator: counts,
    public: {
      pending: counts.pending,
      needsReview: counts.needsReview,
      verified: counts.verified,
      rejected: counts.rejected,
      withdrawn: counts.withdrawn,
      updatedAt: iso(row.public_updated_at),
    },
  };
}

function iso(value: string | Date | null): string | null {
  return value instanceof Date ? value.toISOString() : null;
}

function withoutTime(counts: SignatureCounts): Omit<SignatureCounts, 'updatedAt'> {
  const { updatedAt: _ignored, ...rest } = counts;
  return rest;
}

function sameCounts(a: SignatureCounts, b: SignatureCounts): boolean {
  return COLUMNS.every((col) => a[FIELD[col]] === b[FIELD[col]]);
}

/** The spelling most signers used; of equally common ones, the first in alphabetical order. */
function mostWritten(spellings: Map<string, number>): string {
  return [...spellings].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
}
