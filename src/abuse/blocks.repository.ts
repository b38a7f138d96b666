import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TimeIdCursor } from '../common/pagination/cursor.js';
import { updateReturning } from '../database/update-returning.js';
import type { ActiveBlock, BlockAction, BlockKind, BlockState } from './block-rules.js';

export interface BlockRow {
  id: string;
  kind: BlockKind;
  value: string;
  domain: string | null;
  subdomains: boolean;
  source_index: Buffer | null;
  petition_id: string | null;
  action: BlockAction;
  reason_code: string;
  note: string | null;
  expires_at: Date | null;
  created_by: string;
  created_at: Date;
  removed_by: string | null;
  removed_at: Date | null;
  /** Computed by every read: active, removed or expired, as of the statement's `now()`. */
  state: BlockState;
}

export interface NewBlock {
  kind: BlockKind;
  value: string;
  domain: string | null;
  subdomains: boolean;
  sourceIndex: Buffer | null;
  petitionId: string | null;
  action: BlockAction;
  reasonCode: string;
  note: string | null;
  expiresAt: Date | null;
  createdBy: string;
}

const ACTIVE = `b.removed_at IS NULL AND (b.expires_at IS NULL OR b.expires_at > now())`;
const STATE = `CASE WHEN b.removed_at IS NOT NULL THEN 'removed'
                    WHEN b.expires_at IS NOT NULL AND b.expires_at <= now() THEN 'expired'
                    ELSE 'active' END`;
const COLUMNS = `b.*, ${STATE} AS state`;

/** The SQL of the `blocks` table. A block is never deleted: removing one records who and when. */
@Injectable()
export class BlocksRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(block: NewBlock): Promise<BlockRow> {
    const [row]: BlockRow[] = await this.dataSource.query(
      `INSERT INTO blocks AS b (kind, value, domain, subdomains, source_index, petition_id, action,
                               reason_code, note, expires_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
      [
        block.kind,
        block.value,
        block.domain,
        block.subdomains,
        block.sourceIndex,
        block.petitionId,
        block.action,
        block.reasonCode,
        block.note,
        block.expiresAt,
        block.createdBy,
      ],
    );
    return row;
  }

  async find(id: string): Promise<BlockRow | null> {
    const [row]: BlockRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM blocks b WHERE b.id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** Newest first, keyset-paginated on (created_at, id); `states` empty means every block. */
  async list(filter: {
    states: readonly BlockState[];
    petitionId?: string;
    after: TimeIdCursor | null;
    limit: number;
  }): Promise<BlockRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM blocks b
        WHERE ($1::uuid IS NULL OR b.petition_id = $1::uuid)
          AND (cardinality($2::text[]) = 0 OR (${STATE}) = ANY($2::text[]))
          AND ($3::timestamptz IS NULL OR (b.created_at, b.id) < ($3::timestamptz, $4::uuid))
        ORDER BY b.created_at DESC, b.id DESC LIMIT $5`,
      [
        filter.petitionId ?? null,
        filter.states,
        filter.after?.at ?? null,
        filter.after?.id ?? null,
        filter.limit,
      ],
    );
  }

  /** Records the removal; a block already removed keeps its first removal and is not returned. */
  async remove(id: string, moderatorId: string): Promise<BlockRow | null> {
    const [row] = await updateReturning<BlockRow>(
      this.dataSource,
      `UPDATE blocks b SET removed_by = $2, removed_at = now()
        WHERE b.id = $1 AND b.removed_at IS NULL RETURNING ${COLUMNS}`,
      [id, moderatorId],
    );
    return row ?? null;
  }

  /**
   * The petition and encrypted service-wide source hash of the signature a source block names;
   * null when there is no such signature.
   */
  async signatureSource(
    signatureId: string,
  ): Promise<{ petitionId: string; sourceGlobalEncrypted: Buffer | null } | null> {
    const [row]: Array<{ petition_id: string; source_global_encrypted: Buffer | null }> =
      await this.dataSource.query(
        `SELECT petition_id, source_global_encrypted FROM signatures WHERE id = $1`,
        [signatureId],
      );
    return row
      ? { petitionId: row.petition_id, sourceGlobalEncrypted: row.source_global_encrypted }
      : null;
  }

  /**
   * The blocks in force that could cover any of a batch's signatures, in one query: those for
   * all petitions or for one of theirs, naming one of their domains (or a parent of one) or one
   * of their sources. The caller decides which covers which (see `blockCovers`).
   */
  async activeFor(batch: {
    petitionIds: readonly string[];
    domains: readonly string[];
    sourceIndexes: readonly Buffer[];
  }): Promise<ActiveBlock[]> {
    if (batch.domains.length === 0 && batch.sourceIndexes.length === 0) return [];
    const rows: BlockRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM blocks b
        WHERE ${ACTIVE}
          AND (b.petition_id IS NULL OR b.petition_id = ANY($1::uuid[]))
          AND (b.domain = ANY($2::text[]) OR b.source_index = ANY($3::bytea[]))`,
      [[...new Set(batch.petitionIds)], [...new Set(batch.domains)], [...batch.sourceIndexes]],
    );
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      value: row.value,
      domain: row.domain,
      subdomains: row.subdomains,
      sourceIndex: row.source_index,
      petitionId: row.petition_id,
      action: row.action,
      reasonCode: row.reason_code,
      createdAt: row.created_at,
    }));
  }
}
