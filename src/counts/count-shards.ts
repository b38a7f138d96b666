import { randomInt } from 'node:crypto';
import {
  COUNT_COLUMN,
  PUBLIC_COUNT_STATUSES,
  SignatureStatus,
} from '../signatures/signature-status.js';

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
 *
 * `updated_at` moves with any change; `public_updated_at` only when a column the public sees
 * moves (see PUBLIC_COUNT_STATUSES), so an unconfirmed signature, a repeat or an expiry leaves
 * the public counts as they were, their time included.
 */
export function shardUpsertSql(source: string, shardParam: string): string {
  const columns = Object.values(COUNT_COLUMN);
  const publicMoved = PUBLIC_COUNT_STATUSES.map((status) => `n_${COUNT_COLUMN[status]} <> 0`).join(
    ' OR ',
  );
  return `INSERT INTO petition_count_shards AS c (petition_id, shard, ${columns.join(', ')}, updated_at,
      public_updated_at)
    SELECT petition_id, ${shardParam}, ${columns.map((col) => `n_${col}`).join(', ')}, now(),
      CASE WHEN ${publicMoved} THEN now() END
    FROM (${source}) AS delta
    ON CONFLICT (petition_id, shard) DO UPDATE SET
      ${columns.map((col) => `${col} = c.${col} + EXCLUDED.${col}`).join(',\n      ')},
      updated_at = now(),
      public_updated_at = COALESCE(EXCLUDED.public_updated_at, c.public_updated_at)`;
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
