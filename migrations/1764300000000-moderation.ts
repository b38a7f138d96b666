import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moderation of signatures: claims on the review queue (a lease per signature), bulk
 * invalidations, and the link from a signature's events to the invalidation that caused them.
 */
export class Moderation1764300000000 implements MigrationInterface {
  name = 'Moderation1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE signatures
        ADD COLUMN claimed_by uuid REFERENCES accounts (id),
        ADD COLUMN claim_expires_at timestamptz`);
    // The review queue, oldest first, overall and per petition.
    await db.query(
      `CREATE INDEX signatures_review_queue_idx ON signatures (created_at, id)
         WHERE status = 'needs_review'`,
    );
    await db.query(
      `CREATE INDEX signatures_petition_review_queue_idx ON signatures (petition_id, created_at, id)
         WHERE status = 'needs_review'`,
    );

    await db.query(`
      CREATE TABLE invalidations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        petition_id uuid NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
        criteria jsonb NOT NULL,
        reason_code text NOT NULL,
        note text,
        status text NOT NULL CHECK (status IN
          ('preview', 'awaiting_approval', 'running', 'completed', 'cancelled')),
        matched integer NOT NULL,
        processed integer NOT NULL DEFAULT 0,
        requested_by uuid NOT NULL REFERENCES accounts (id),
        approved_by uuid REFERENCES accounts (id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await db.query(
      `ALTER TABLE signature_events ADD COLUMN invalidation_id uuid REFERENCES invalidations (id)`,
    );
    // The newest register version whose petitions' signatures have been re-checked.
    await db.query(
      `ALTER TABLE eligibility_registers ADD COLUMN rechecked_version integer NOT NULL DEFAULT 0`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE eligibility_registers DROP COLUMN rechecked_version`);
    await db.query(`ALTER TABLE signature_events DROP COLUMN invalidation_id`);
    await db.query(`DROP TABLE invalidations`);
    await db.query(`DROP INDEX signatures_petition_review_queue_idx`);
    await db.query(`DROP INDEX signatures_review_queue_idx`);
    await db.query(`ALTER TABLE signatures DROP COLUMN claim_expires_at, DROP COLUMN claimed_by`);
  }
}
