import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Console sign-in: one-time links mailed to an account's address, and the sessions they start.
 * Neither stores a secret in the clear: links and session ids are kept as SHA-256 hashes; a link's
 * token is also kept encrypted until its mail is sent, then dropped.
 */
export class ConsoleSessions1764700000000 implements MigrationInterface {
  name = 'ConsoleSessions1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sign_in_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        token_hash bytea NOT NULL CONSTRAINT sign_in_links_token_hash_key UNIQUE,
        token_encrypted bytea,
        language text NOT NULL DEFAULT 'en',
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        mail_sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE console_sessions (
        id_hash bytea PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        csrf_secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ended_at timestamptz
      )`);
    await db.query(
      `CREATE INDEX console_sessions_account_idx ON console_sessions (account_id) WHERE ended_at IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE console_sessions`);
    await db.query(`DROP TABLE sign_in_links`);
  }
}
