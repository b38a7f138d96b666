import { randomInt } from 'node:crypto';
import { COUNT_COLUMN, SignatureStatus } from '../signatures/signature-status.js';

/**
 * A petition's counts are spread over this many rows of `petition_count_shards`. Each write
 * touches one shard picked at random, so concurrent signers of a viral petition rarely wait on one
 * another's row lock; a read sums the shards.
 */
export const COUNT_SHARDS = 16;

export function pickShard(): number {
  return randomInt(COUNT_SHARDS);
}

/**
 * The SQL that adds `delta(status)` for each status to one shard of each petition, as a data-
 * modifying CTE body. `source` must yield `petition_id` and one `n_<column>` per status moved;
 * columns come from COUNT_COLUMN (fixed names), never from input.
 */
export function shardUpsertSql(source: string, shardParam: string): string {
  const columns = Object.values(COUNT_COLUMN);
  return `INSERT INTO petition_count_shards AS c (petition_id, shard, ${columns.join(', ')}, updated_at)
    SELECT petition_id, ${shardParam}, ${columns.map((col) => `n_${col}`).join(', ')}, now()
    FROM (${source}) AS delta
    ON CONFLICT (petition_id, shard) DO UPDATE SET
      ${columns.map((col) => `${col} = c.${col} + EXCLUDED.${col}`).join(',\n      ')},
      updated_at = now()`;
}

/** `n_<column>` expressions: each status's change, 0 where none is given. */
export function deltaColumns(deltas: Partial<Record<SignatureStatus, string>>): string {
  return Object.entries(COUNT_COLUMN)
    .map(([status, col]) => `(${deltas[status as SignatureStatus] ?? '0'})::bigint AS n_${col}`)
    .join(', ');
}

/** `n_<column>` expressions for a move of `count` rows from one status to another. */
export function moveDeltaColumns(
  from: SignatureStatus,
  to: SignatureStatus,
  count: string,
): string {
  return deltaColumns({ [from]: `-(${count})`, [to]: count });
}
