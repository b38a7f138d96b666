import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** Whose keys a row of `data_keys` holds. */
export type KeyScope = 'global' | 'petition' | 'register';

/** The owner id of the one `global` row. */
export const GLOBAL_OWNER = '00000000-0000-0000-0000-000000000000';

export interface WrappedKeyRow {
  scope: KeyScope;
  owner_id: string;
  wrapped: Buffer;
  wrapping_key_id: string;
}

/** A petition as the key ring resolves it from an id or a slug, with its keys if it has them. */
export interface PetitionKeyRow {
  id: string;
  status: string;
  personal_data_erased_at: Date | null;
  wrapped: Buffer | null;
  wrapping_key_id: string | null;
}

/** The SQL of `data_keys`: wrapped keys, one row per owner (see KeyRing). */
@Injectable()
export class DataKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(scope: KeyScope, ownerId: string): Promise<WrappedKeyRow | null> {
    const [row]: WrappedKeyRow[] = await this.dataSource.query(
      `SELECT scope, owner_id, wrapped, wrapping_key_id FROM data_keys
        WHERE scope = $1 AND owner_id = $2`,
      [scope, ownerId],
    );
    return row ?? null;
  }

  /**
   * Inserts unless the owner has keys already (another process won): then returns theirs. A
   * petition gets keys only while its data is not erased; the check takes a share lock on the
   * petition, so it waits for an erasure under way and then sees it (null: no keys, ever again).
   */
  async insertOrGet(
    scope: KeyScope,
    ownerId: string,
    wrapped: Buffer,
    wrappingKeyId: string,
  ): Promise<WrappedKeyRow | null> {
    await this.dataSource.query(
      `INSERT INTO data_keys (scope, owner_id, wrapped, wrapping_key_id)
       SELECT $1, $2, $3, $4
        WHERE $1 <> 'petition' OR EXISTS (
          SELECT 1 FROM petitions WHERE id = $2 AND personal_data_erased_at IS NULL FOR SHARE)
       ON CONFLICT (scope, owner_id) DO NOTHING`,
      [scope, ownerId, wrapped, wrappingKeyId],
    );
    return this.find(scope, ownerId);
  }

  /** `ref` is an id or a slug (the caller checked which it can be). */
  async petition(ref: string, byId: boolean): Promise<PetitionKeyRow | null> {
    const [row]: PetitionKeyRow[] = await this.dataSource.query(
      `SELECT p.id, p.status, p.personal_data_erased_at, k.wrapped, k.wrapping_key_id
         FROM petitions p
         LEFT JOIN data_keys k ON k.scope = 'petition' AND k.owner_id = p.id
        WHERE ${byId ? 'p.id = $1::uuid' : 'p.slug = $1'}`,
      [ref],
    );
    return row ?? null;
  }

  /** Destroys an owner's keys (in the caller's transaction). */
  async destroy(manager: EntityManager, scope: KeyScope, ownerId: string): Promise<void> {
    await manager.query(`DELETE FROM data_keys WHERE scope = $1 AND owner_id = $2`, [
      scope,
      ownerId,
    ]);
  }

  /** How many rows each master key id wraps. */
  async countByWrappingKey(): Promise<Map<string, number>> {
    const rows: Array<{ wrapping_key_id: string; n: number }> = await this.dataSource.query(
      `SELECT wrapping_key_id, count(*)::int AS n FROM data_keys GROUP BY wrapping_key_id`,
    );
    return new Map(rows.map((row) => [row.wrapping_key_id, row.n]));
  }

  /**
   * Re-wraps up to `limit` rows wrapped under one of `fromKeyIds`, in one transaction: `rewrap`
   * turns each row's blob into the new one (or null to leave it). SKIP LOCKED, so several workers
   * share the work and none waits on another.
   */
  async rewrapBatch(
    fromKeyIds: readonly string[],
    toKeyId: string,
    limit: number,
    rewrap: (row: WrappedKeyRow) => Buffer | null,
  ): Promise<{ rewrapped: number; failed: number }> {
    return this.dataSource.transaction(async (manager) => {
      const rows: WrappedKeyRow[] = await manager.query(
        `SELECT scope, owner_id, wrapped, wrapping_key_id FROM data_keys
          WHERE wrapping_key_id = ANY($1::text[])
          ORDER BY scope, owner_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [fromKeyIds, limit],
      );
      const done: Array<{ row: WrappedKeyRow; wrapped: Buffer }> = [];
      let failed = 0;
      for (const row of rows) {
        const wrapped = rewrap(row);
        if (wrapped) done.push({ row, wrapped });
        else failed++;
      }
      if (done.length > 0) {
        await manager.query(
          `UPDATE data_keys k SET wrapped = x.wrapped, wrapping_key_id = $4, rewrapped_at = now()
             FROM unnest($1::text[], $2::uuid[], $3::bytea[]) AS x(scope, owner_id, wrapped)
            WHERE k.scope = x.scope AND k.owner_id = x.owner_id`,
          [
            done.map((d) => d.row.scope),
            done.map((d) => d.row.owner_id),
            done.map((d) => d.wrapped),
            toKeyId,
          ],
        );
      }
      return { rewrapped: done.length, failed };
    });
  }
}
