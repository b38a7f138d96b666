import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Abuse resistance: moderators' blocks on email domains and sources, and the alerts the trending
 * job raises. Neither stores an IP: a source is the signatures' keyed hash of it.
 */
export class BlocksAndAlerts1764800000000 implements MigrationInterface {
  name = 'BlocksAndAlerts1764800000000';

  async up(db: QueryRunner): Promise<void> {
    // Equality on uuid and text inside a GiST exclusion constraint (see trending_alerts).
    await db.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    // A removed block stays, with who removed it and when: the table is also the blocks' history.
    await db.query(`
      CREATE TABLE blocks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('email_domain', 'source')),
        -- What the moderator named, normalised: "example.org", "*.example.org", or for a source
        -- the id of the signature whose source is blocked. Shown back as the block's value.
        value text NOT NULL,
        -- email_domain: the domain in lower-case ASCII (IDNA), without "*."; with subdomains, the
        -- block covers every name under it and not the domain itself.
        domain text,
        subdomains boolean NOT NULL DEFAULT false,
        -- source: the named signature's source_index (a keyed hash of its IP), never the IP.
        source_index bytea,
        petition_id uuid REFERENCES petitions (id) ON DELETE CASCADE,
        action text NOT NULL CHECK (action IN ('reject', 'review')),
        reason_code text NOT NULL,
        note text,
        expires_at timestamptz(3),
        created_by uuid NOT NULL REFERENCES accounts (id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        removed_by uuid REFERENCES accounts (id),
        removed_at timestamptz(3),
        CHECK ((kind = 'email_domain') = (domain IS NOT NULL)),
        CHECK ((kind = 'source') = (source_index IS NOT NULL)),
        CHECK ((removed_at IS NULL) = (removed_by IS NULL))
      )`);
    // What the verification check looks up, once per batch: the blocks not removed.
    await db.query(
      `CREATE INDEX blocks_domain_idx ON blocks (domain) WHERE removed_at IS NULL AND domain IS NOT NULL`,
    );
    await db.query(
      `CREATE INDEX blocks_source_idx ON blocks (source_index)
         WHERE removed_at IS NULL AND source_index IS NOT NULL`,
    );
    await db.query(`CREATE INDEX blocks_created_idx ON blocks (created_at DESC, id DESC)`);

    await db.query(`
      CREATE TABLE trending_alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        petition_id uuid NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('email_domain', 'source')),
        email_domain text,
        source_index bytea,
        -- One of the source's signatures at the time: how an alert names a source.
        sample_signature_id uuid,
        count integer NOT NULL,
        window_start timestamptz(3) NOT NULL,
        window_end timestamptz(3) NOT NULL,
        raised_at timestamptz(3) NOT NULL DEFAULT now(),
        acknowledged_by uuid REFERENCES accounts (id),
        acknowledged_at timestamptz(3),
        CHECK ((kind = 'email_domain') = (email_domain IS NOT NULL)),
        CHECK ((kind = 'source') = (source_index IS NOT NULL)),
        CHECK (window_end > window_start),
        -- Once per hour, however many workers run the job at once: no two alerts for the same
        -- petition and source (or domain) may cover overlapping hours. The job inserts with
        -- ON CONFLICT DO NOTHING, so the database, not a worker's memory, decides.
        CONSTRAINT trending_alerts_once_per_window EXCLUDE USING gist (
          petition_id WITH =,
          kind WITH =,
          (coalesce(email_domain, encode(source_index, 'hex'))) WITH =,
          tstzrange(window_start, window_end) WITH &&
        )
      )`);
    await db.query(
      `CREATE INDEX trending_alerts_open_idx ON trending_alerts (raised_at DESC, id DESC)
         WHERE acknowledged_at IS NULL`,
    );
    await db.query(
      `CREATE INDEX trending_alerts_acknowledged_idx ON trending_alerts (raised_at DESC, id DESC)
         WHERE acknowledged_at IS NOT NULL`,
    );

    // The trending job reads the last hour of signatures: without this it reads the whole table.
    await db.query(`CREATE INDEX signatures_created_idx ON signatures (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX signatures_created_idx`);
    await db.query(`DROP TABLE trending_alerts`);
    await db.query(`DROP TABLE blocks`);
  }
}
