import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs an UPDATE or DELETE (or a WITH … UPDATE) with RETURNING and gives its rows. TypeORM's
 * `query()` answers such statements with `[rows, rowCount]` rather than the rows themselves, as
 * it does for SELECT and INSERT; reading that as rows is an easy mistake this helper removes.
 */
export async function updateReturning<T>(
  db: DataSource | EntityManager,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const result: unknown = await db.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0])) {
    return result[0] as T[];
  }
  return result as T[];
}
