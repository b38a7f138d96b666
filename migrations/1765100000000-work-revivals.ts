import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How often the sweeper has re-enqueued a signature's verification or mail after its job was lost
 * or failed, and when it gave up. Kept in PostgreSQL, so the bound holds across restarts and a
 * Redis that lost everything. A row exists only for a signature whose work needed the sweeper; it
 * goes once the work is done (or the signature no longer needs it).
 */
export class WorkRevivals1765100000000 implements MigrationInterface {
  name = 'WorkRevivals1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE signature_work_revivals (
        signature_id uuid NOT NULL REFERENCES signatures (id) ON DELETE CASCADE,
        work text NOT NULL CONSTRAINT signature_work_revivals_work_check
          CHECK (work IN ('verification', 'mail')),
        revivals integer NOT NULL DEFAULT 0,
        last_revived_at timestamptz,
        given_up_at timestamptz,
        PRIMARY KEY (signature_id, work)
      )`);
    await db.query(
      `CREATE INDEX signature_work_revivals_given_up_idx
         ON signature_work_revivals (work, given_up_at, signature_id) WHERE given_up_at IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE signature_work_revivals`);
  }
}
