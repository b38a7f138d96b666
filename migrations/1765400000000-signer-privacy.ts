import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signer privacy (issues 13 and 14):
 * - `public_updated_at` on each count shard moves only when a column the public sees changes
 *   (pending, needs_review, verified, rejected, withdrawn), so an unconfirmed signature, a repeat
 *   or an expiry leaves the public counts byte-identical. A petition's public `updatedAt` is the
 *   latest of its shards'.
 * - A withdrawal erases the signer's personal fields, so those columns may now be empty.
 * - `signature_resign_holds`: someone signing again after a withdrawal. The signature stays
 *   `withdrawn` (nothing public moves) until the address's owner confirms with the mailed token.
 */
export class SignerPrivacy1765400000000 implements MigrationInterface {
  name = 'SignerPrivacy1765400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE petition_count_shards ADD COLUMN public_updated_at timestamptz`);
    await db.query(
      `UPDATE petition_count_shards SET public_updated_at = updated_at
        WHERE pending <> 0 OR needs_review <> 0 OR verified <> 0 OR rejected <> 0 OR withdrawn <> 0`,
    );
    await db.query(`ALTER TABLE signatures ALTER COLUMN full_name DROP NOT NULL`);
    await db.query(`ALTER TABLE signatures ALTER COLUMN name_key DROP NOT NULL`);
    await db.query(`ALTER TABLE signatories ALTER COLUMN email_encrypted DROP NOT NULL`);
    // Signatures withdrawn before this change still hold what a withdrawal now erases.
    await db.query(
      `UPDATE signatures SET full_name = NULL, name_key = NULL, district = NULL, title = NULL,
              comment = NULL, email_domain = NULL, source_index = NULL, user_agent_index = NULL,
              token_encrypted = NULL, checks = NULL, display_publicly = false
        WHERE status = 'withdrawn'`,
    );
    await db.query(`
      CREATE TABLE signature_resign_holds (
        signature_id uuid PRIMARY KEY REFERENCES signatures (id) ON DELETE CASCADE,
        full_name text NOT NULL,
        name_key text NOT NULL,
        district text,
        title text,
        display_publicly boolean NOT NULL,
        comment text,
        email_domain text NOT NULL,
        email_encrypted bytea NOT NULL,
        source_index bytea NOT NULL,
        user_agent_index bytea,
        language text,
        token_hash bytea NOT NULL CONSTRAINT signature_resign_holds_token_hash_key UNIQUE,
        token_expires_at timestamptz NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE INDEX signature_resign_holds_expiry_idx ON signature_resign_holds (token_expires_at)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE signature_resign_holds`);
    await db.query(
      `UPDATE signatories SET email_encrypted = '\\x'::bytea WHERE email_encrypted IS NULL`,
    );
    await db.query(`ALTER TABLE signatories ALTER COLUMN email_encrypted SET NOT NULL`);
    await db.query(`UPDATE signatures SET name_key = '' WHERE name_key IS NULL`);
    await db.query(`UPDATE signatures SET full_name = '' WHERE full_name IS NULL`);
    await db.query(`ALTER TABLE signatures ALTER COLUMN name_key SET NOT NULL`);
    await db.query(`ALTER TABLE signatures ALTER COLUMN full_name SET NOT NULL`);
    await db.query(`ALTER TABLE petition_count_shards DROP COLUMN public_updated_at`);
  }
}
