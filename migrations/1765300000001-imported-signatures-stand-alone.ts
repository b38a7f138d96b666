import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An imported row is its own signature even when its address signed online: one signature per
 * address per petition now holds for public signing only (a partial unique index), and the
 * duplicate check sends a pair sharing an address to review. A second index finds imported rows
 * by address for that check; public signing writes no entry in it.
 *
 * Down restores the one-per-address constraint, which fails while a petition holds two rows of
 * one address: those pairs must be resolved (one withdrawn or deleted) first.
 */
export class ImportedSignaturesStandAlone1765300000001 implements MigrationInterface {
  name = 'ImportedSignaturesStandAlone1765300000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE signatures DROP CONSTRAINT signatures_one_per_signatory`);
    await db.query(
      `CREATE UNIQUE INDEX signatures_one_public_per_signatory
         ON signatures (petition_id, signatory_id) WHERE origin = 'public'`,
    );
    await db.query(
      `CREATE INDEX signatures_imported_signatory_idx
         ON signatures (petition_id, signatory_id) WHERE origin = 'import'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX signatures_imported_signatory_idx`);
    await db.query(`DROP INDEX signatures_one_public_per_signatory`);
    await db.query(
      `ALTER TABLE signatures ADD CONSTRAINT signatures_one_per_signatory
         UNIQUE (petition_id, signatory_id)`,
    );
  }
}
