import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signers and their signatures. Contact data is never stored in plain text: the email only
 * encrypted plus a keyed blind index; the IP and user agent only as keyed blind indexes;
 * the signer's token only as a SHA-256.
 */
export class Signatures1764100000000 implements MigrationInterface {
  name = 'Signatures1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE petitions ADD COLUMN language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'ru'))`,
    );

    await db.query(`
      CREATE TABLE signatories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email_index bytea NOT NULL CONSTRAINT signatories_email_index_key UNIQUE,
        email_encrypted bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE signatures (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        petition_id uuid NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
        signatory_id uuid REFERENCES signatories (id),
        status text NOT NULL CHECK (status IN
          ('unconfirmed', 'pending', 'needs_review', 'verified', 'rejected', 'withdrawn', 'expired')),
        origin text NOT NULL CHECK (origin IN ('public', 'import')),
        full_name text NOT NULL,
        name_key text NOT NULL,
        district text,
        title text,
        display_publicly boolean NOT NULL DEFAULT false,
        comment text,
        email_domain text,
        source_index bytea,
        user_agent_index bytea,
        token_hash bytea CONSTRAINT signatures_token_hash_key UNIQUE,
        -- Until the signer's mail is sent: the token, encrypted, for the mail worker. Cleared
        -- once the mail is out, so afterwards only the hash remains.
        token_encrypted bytea,
        token_expires_at timestamptz,
        mail_sent_at timestamptz,
        language text NOT NULL DEFAULT 'en',
        checks jsonb,
        risk_score smallint,
        reason_code text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        confirmed_at timestamptz,
        verified_at timestamptz(3),
        CONSTRAINT signatures_one_per_signatory UNIQUE (petition_id, signatory_id)
      )`);
    await db.query(
      `CREATE INDEX signatures_petition_status_idx ON signatures (petition_id, status)`,
    );
    await db.query(
      // Keyset pages of verified signatures: the public list (newest first) and the export.
      `CREATE INDEX signatures_verified_idx ON signatures (petition_id, verified_at, id)
         WHERE status = 'verified'`,
    );
    await db.query(
      `CREATE INDEX signatures_source_idx ON signatures (petition_id, source_index, created_at)
         WHERE source_index IS NOT NULL`,
    );
    await db.query(`CREATE INDEX signatures_name_key_idx ON signatures (petition_id, name_key)`);
    // The sweepers' work lists: small partial indexes over rows still in flight.
    await db.query(
      `CREATE INDEX signatures_pending_idx ON signatures (updated_at) WHERE status = 'pending'`,
    );
    await db.query(
      `CREATE INDEX signatures_unconfirmed_idx ON signatures (token_expires_at) WHERE status = 'unconfirmed'`,
    );
    await db.query(
      `CREATE INDEX signatures_mail_outbox_idx ON signatures (created_at) WHERE token_encrypted IS NOT NULL`,
    );

    await db.query(`
      CREATE TABLE signature_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        signature_id uuid NOT NULL REFERENCES signatures (id) ON DELETE CASCADE,
        from_status text,
        to_status text NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('signer', 'organiser', 'moderator', 'system')),
        actor_id uuid REFERENCES accounts (id),
        reason_code text,
        note text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE INDEX signature_events_signature_idx ON signature_events (signature_id, id)`,
    );

    // Counts per status, spread over shards so that a busy petition's writers do not queue on
    // one hot row; a read sums a petition's shards.
    await db.query(`
      CREATE TABLE petition_count_shards (
        petition_id uuid NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
        shard smallint NOT NULL,
        unconfirmed bigint NOT NULL DEFAULT 0,
        pending bigint NOT NULL DEFAULT 0,
        needs_review bigint NOT NULL DEFAULT 0,
        verified bigint NOT NULL DEFAULT 0,
        rejected bigint NOT NULL DEFAULT 0,
        withdrawn bigint NOT NULL DEFAULT 0,
        expired bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (petition_id, shard)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE petition_count_shards`);
    await db.query(`DROP TABLE signature_events`);
    await db.query(`DROP TABLE signatures`);
    await db.query(`DROP TABLE signatories`);
    await db.query(`ALTER TABLE petitions DROP COLUMN language`);
  }
}
