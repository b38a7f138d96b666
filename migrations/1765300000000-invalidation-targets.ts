import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a bulk invalidation matched when it was requested, kept by id, so that running it never
 * changes more than the `matched` it showed (a signature that matches only later, by arriving or
 * by changing status, is left for a new request). Invalidations requested before this have no
 * targets recorded (`targets_recorded = false`) and run by their criteria, as before.
 *
 * The index serves INVALIDATION_APPROVAL_THRESHOLD's rolling total, per moderator and petition.
 */
export class InvalidationTargets1765300000000 implements MigrationInterface {
  name = 'InvalidationTargets1765300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE invalidation_targets (
        invalidation_id uuid NOT NULL REFERENCES invalidations (id) ON DELETE CASCADE,
        signature_id uuid NOT NULL REFERENCES signatures (id) ON DELETE CASCADE,
        PRIMARY KEY (invalidation_id, signature_id)
      )`);
    await db.query(
      `ALTER TABLE invalidations ADD COLUMN targets_recorded boolean NOT NULL DEFAULT false`,
    );
    await db.query(`ALTER TABLE invalidations ALTER COLUMN targets_recorded SET DEFAULT true`);
    await db.query(
      `CREATE INDEX invalidations_requester_idx ON invalidations (petition_id, requested_by, created_at)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX invalidations_requester_idx`);
    await db.query(`ALTER TABLE invalidations DROP COLUMN targets_recorded`);
    await db.query(`DROP TABLE invalidation_targets`);
  }
}
