import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A petition's public counts over time, for the chart on its page: one row whenever the counts
 * changed since the last snapshot (taken every COUNT_SNAPSHOT_INTERVAL_SECONDS), so a page view
 * reads a few hundred small rows instead of scanning its signatures.
 */
export class CountSnapshots1764500000000 implements MigrationInterface {
  name = 'CountSnapshots1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE petition_count_snapshots (
        petition_id uuid NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT now(),
        verified bigint NOT NULL,
        being_checked bigint NOT NULL,
        PRIMARY KEY (petition_id, at)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE petition_count_snapshots`);
  }
}
