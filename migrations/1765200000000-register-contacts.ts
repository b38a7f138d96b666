import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Register contacts and invitations.
 *
 * A register entry may carry an email, stored as a signer's is: encrypted, with a keyed blind
 * index of the normalised address (for matching signers and finding who was invited), never in
 * plain text.
 *
 * An invitation is a personal link mailed to one entry for one petition. It keeps a copy of the
 * entry's name, district, title and (encrypted) email, as uploads replace entries; its token is
 * stored only as a SHA-256, plus encrypted until the mail is out (the row is the mail's outbox).
 * `used_at` makes it single-use. A signature made through one names it in `invitation_id`.
 *
 * `signatures.district_key` is the district's comparison key (see district-key.ts); with a
 * register, the signer's district is stored as the register spells it.
 */
export class RegisterContacts1765200000000 implements MigrationInterface {
  name = 'RegisterContacts1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE register_entries ADD COLUMN email_encrypted bytea, ADD COLUMN email_index bytea`,
    );
    await db.query(
      `CREATE INDEX register_entries_email_idx ON register_entries (register_id, version, email_index)
         WHERE email_index IS NOT NULL`,
    );
    // A register's districts (a signer's matched to one, the district counts' rows), without
    // reading every entry of a large register.
    await db.query(
      `CREATE INDEX register_entries_district_key_idx
         ON register_entries (register_id, version, district_key, row_number)
         WHERE district_key IS NOT NULL`,
    );
    await db.query(`
      CREATE TABLE register_invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        petition_id uuid NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
        register_id uuid NOT NULL REFERENCES eligibility_registers (id) ON DELETE CASCADE,
        full_name text NOT NULL,
        district text,
        title text,
        email_index bytea NOT NULL,
        email_encrypted bytea NOT NULL,
        token_hash bytea NOT NULL CONSTRAINT register_invitations_token_hash_key UNIQUE,
        token_encrypted bytea,
        language text NOT NULL DEFAULT 'en',
        invited_by uuid REFERENCES accounts (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        mail_sent_at timestamptz,
        used_at timestamptz
      )`);
    await db.query(
      `CREATE INDEX register_invitations_recent_idx
         ON register_invitations (petition_id, email_index, created_at)`,
    );
    await db.query(
      `CREATE INDEX register_invitations_outbox_idx ON register_invitations (created_at)
         WHERE token_encrypted IS NOT NULL`,
    );
    await db.query(
      `ALTER TABLE signatures
         ADD COLUMN invitation_id uuid REFERENCES register_invitations (id) ON DELETE SET NULL,
         ADD COLUMN district_key text`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE signatures DROP COLUMN invitation_id, DROP COLUMN district_key`);
    await db.query(`DROP TABLE register_invitations`);
    await db.query(`DROP INDEX register_entries_district_key_idx`);
    await db.query(`DROP INDEX register_entries_email_idx`);
    await db.query(
      `ALTER TABLE register_entries DROP COLUMN email_encrypted, DROP COLUMN email_index`,
    );
  }
}
