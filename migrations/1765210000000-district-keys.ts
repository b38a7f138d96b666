import { transliterate } from 'transliteration';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { districtKey } from '../src/registers/district-key.js';

const CHUNK = 5_000;

/**
 * District keys now fold romanisations as name keys do (`Semenovsky` meets `Семёновский`):
 * recomputes the register entries' stored keys, and fills the signatures' new `district_key`.
 * Keys are computed in the application's code, one distinct spelling at a time, so a large table
 * costs as many updates as it has spellings, not rows.
 */
export class DistrictKeys1765210000000 implements MigrationInterface {
  name = 'DistrictKeys1765210000000';

  async up(db: QueryRunner): Promise<void> {
    await recompute(db, 'register_entries', districtKey);
    await recompute(db, 'signatures', districtKey);
  }

  async down(db: QueryRunner): Promise<void> {
    await recompute(db, 'register_entries', previousDistrictKey);
    await db.query(`UPDATE signatures SET district_key = NULL WHERE district_key IS NOT NULL`);
  }
}

async function recompute(
  db: QueryRunner,
  table: 'register_entries' | 'signatures',
  key: (district: string) => string | null,
): Promise<void> {
  // A withdrawn signature's district is erased (by a later migration, for older ones): no key.
  const live = table === 'signatures' ? `AND status <> 'withdrawn'` : '';
  const rows: Array<{ district: string }> = await db.query(
    `SELECT DISTINCT district FROM ${table} WHERE district IS NOT NULL ${live}`,
  );
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    await db.query(
      `UPDATE ${table} t SET district_key = k.key
         FROM unnest($1::text[], $2::text[]) AS k(district, key)
        WHERE t.district = k.district AND t.district_key IS DISTINCT FROM k.key ${live}`,
      [chunk.map((r) => r.district), chunk.map((r) => key(r.district))],
    );
  }
}

/** The key as it was before this migration, for `down`. */
function previousDistrictKey(district: string): string | null {
  const folded = transliterate(
    district.normalize('NFKC').toLowerCase().replace(/ё/g, 'е').replace(/№/g, ' '),
  ).toLowerCase();
  const key = folded
    .split(/[^a-z0-9]+/)
    .filter((part) => part.length > 0)
    .join(' ');
  return key === '' ? null : key;
}
