import { COUNT_COLUMN, SignatureStatus } from '../signatures/signature-status.js';
import {
  COUNT_SHARDS,
  deltaColumns,
  moveDeltaColumns,
  pickShard,
  shardUpsertSql,
} from './count-shards.js';

const columns = Object.values(COUNT_COLUMN);

/** `{n_<column>: expression}` from a `deltaColumns` list. */
function parseDeltas(sql: string): Record<string, string> {
  return Object.fromEntries(
    sql.split(', ').map((part) => {
      const match = /^\((.*)\)::bigint AS (n_\w+)$/u.exec(part);
      expect(match).not.toBeNull();
      return [match![2], match![1]];
    }),
  );
}

describe('deltaColumns', () => {
  it('names every status column once, 0 where no change is given', () => {
    const deltas = parseDeltas(deltaColumns({ [SignatureStatus.Verified]: '$1' }));
    expect(Object.keys(deltas).sort()).toEqual(columns.map((col) => `n_${col}`).sort());
    expect(deltas.n_verified).toBe('$1');
    expect(deltas.n_pending).toBe('0');
  });
});

describe('moveDeltaColumns', () => {
  it('subtracts from the old status and adds to the new one', () => {
    const deltas = parseDeltas(
      moveDeltaColumns(SignatureStatus.Pending, SignatureStatus.Verified, 'count(*)'),
    );
    expect(deltas.n_pending).toBe('-(count(*))');
    expect(deltas.n_verified).toBe('count(*)');
    for (const col of columns.filter((c) => c !== 'pending' && c !== 'verified')) {
      expect(deltas[`n_${col}`]).toBe('0');
    }
  });
});

describe('shardUpsertSql', () => {
  const sql = shardUpsertSql('SELECT 1', '$7');

  it('upserts into a shard of the petition', () => {
    expect(sql).toContain('INSERT INTO petition_count_shards');
    expect(sql).toContain('ON CONFLICT (petition_id, shard)');
    expect(sql).toContain('FROM (SELECT 1) AS delta');
    expect(sql).toContain('SELECT petition_id, $7,');
  });

  it('adds each status column exactly once', () => {
    for (const col of columns) {
      const assignment = `${col} = c.${col} + EXCLUDED.${col}`;
      expect(sql.split(assignment)).toHaveLength(2);
    }
    expect(sql.match(/(\w+) = c\.\1 \+ EXCLUDED\.\1/gu)).toHaveLength(columns.length);
  });
});

describe('pickShard', () => {
  it('stays within 0..COUNT_SHARDS-1 and reaches both ends', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const shard = pickShard();
      expect(Number.isInteger(shard)).toBe(true);
      expect(shard).toBeGreaterThanOrEqual(0);
      expect(shard).toBeLessThan(COUNT_SHARDS);
      seen.add(shard);
    }
    expect(seen.has(0)).toBe(true);
    expect(seen.has(COUNT_SHARDS - 1)).toBe(true);
  });
});
