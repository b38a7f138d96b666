import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Eligibility registers: lists of the people entitled to sign (a city's deputies), matched
 * against what signers write. Each upload of entries is a new version; only the current version's
 * entries are kept. Names are matched by an exact key (btree) and, for near misses, by trigram
 * similarity (pg_trgm GIN index), never by scanning the register per signature.
 */
export class Registers1764200000000 implements MigrationInterface {
  name = 'Registers1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await db.query(`
      CREATE TABLE eligibility_registers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        description text,
        version integer NOT NULL DEFAULT 0,
        entry_count integer NOT NULL DEFAULT 0,
        created_by uuid NOT NULL REFERENCES accounts (id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE register_entries (
        register_id uuid NOT NULL REFERENCES eligibility_registers (id) ON DELETE CASCADE,
        version integer NOT NULL,
        row_number integer NOT NULL,
        full_name text NOT NULL,
        name_key text NOT NULL,
        district text,
        district_key text,
        title text,
        PRIMARY KEY (register_id, version, row_number)
      )`);
    await db.query(
      `CREATE INDEX register_entries_name_key_idx ON register_entries (register_id, version, name_key)`,
    );
    await db.query(
      `CREATE INDEX register_entries_name_trgm_idx ON register_entries USING gin (name_key gin_trgm_ops)`,
    );
    // Petitions could name a register before registers existed; the application checks the
    // reference, and NOT VALID keeps this migration from failing on such older rows.
    await db.query(
      `ALTER TABLE petitions ADD CONSTRAINT petitions_register_id_fkey
         FOREIGN KEY (register_id) REFERENCES eligibility_registers (id) NOT VALID`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE petitions DROP CONSTRAINT petitions_register_id_fkey`);
    await db.query(`DROP TABLE register_entries`);
    await db.query(`DROP TABLE eligibility_registers`);
  }
}
