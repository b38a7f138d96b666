import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts, petitions and their audit trail.
 * Timestamps that order keyset pages are `timestamptz(3)`: milliseconds, as a JS Date holds them,
 * so a cursor made from a row's time matches the stored value exactly.
 */
export class Initial1764000000000 implements MigrationInterface {
  name = 'Initial1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        display_name text NOT NULL,
        role text NOT NULL CHECK (role IN ('organiser', 'moderator', 'admin')),
        token_hash bytea,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email))`);
    await db.query(`CREATE UNIQUE INDEX accounts_token_hash_key ON accounts (token_hash)`);
    // The bootstrap admin: authenticates with ADMIN_TOKEN, so it has no stored token.
    await db.query(`
      INSERT INTO accounts (id, email, display_name, role)
      VALUES ('00000000-0000-4000-8000-000000000001', 'admin@countersign.invalid', 'Bootstrap admin', 'admin')`);

    await db.query(`
      CREATE TABLE petitions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL CONSTRAINT petitions_slug_key UNIQUE,
        title text NOT NULL,
        body text NOT NULL,
        addressee text NOT NULL,
        status text NOT NULL CHECK (status IN ('draft', 'submitted', 'open', 'rejected', 'closed')),
        signature_goal integer CHECK (signature_goal > 0),
        closes_at timestamptz,
        require_email_confirmation boolean NOT NULL DEFAULT true,
        register_id uuid,
        eligibility text NOT NULL DEFAULT 'review' CHECK (eligibility IN ('review', 'strict')),
        organiser_id uuid NOT NULL REFERENCES accounts (id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        submitted_at timestamptz,
        opened_at timestamptz,
        closed_at timestamptz,
        decision_reason_code text,
        decision_note text
      )`);
    await db.query(
      `CREATE INDEX petitions_status_created_idx ON petitions (status, created_at DESC, id DESC)`,
    );
    await db.query(
      `CREATE INDEX petitions_organiser_created_idx ON petitions (organiser_id, created_at DESC, id DESC)`,
    );
    await db.query(
      `CREATE INDEX petitions_due_to_close_idx ON petitions (closes_at) WHERE status = 'open' AND closes_at IS NOT NULL`,
    );

    await db.query(`
      CREATE TABLE petition_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        petition_id uuid NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
        from_status text NOT NULL,
        to_status text NOT NULL,
        actor_id uuid REFERENCES accounts (id),
        reason_code text,
        note text,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE INDEX petition_events_petition_idx ON petition_events (petition_id, id)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE petition_events`);
    await db.query(`DROP TABLE petitions`);
    await db.query(`DROP TABLE accounts`);
  }
}
