import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  randomFillSync,
} from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSecrets } from '../src/database/migration-secrets.js';

/**
 * A key per petition, retention, and no global signatories table.
 *
 * - `data_keys`: each owner's random data key and index key (64 bytes), stored only wrapped
 *   (AES-256-GCM) under DATA_ENCRYPTION_KEY, with the wrapping key's id (see KeyRing).
 * - The email moves onto the signature (its ciphertext, and a per-petition blind index); the
 *   one-per-email rule becomes per petition, for public signatures only (an imported row is its
 *   own signature). `signatories` goes: nothing links one person's signatures across petitions.
 * - Every ciphertext is re-encrypted under its petition's data key, bound to its row; source and
 *   user-agent indexes are keyed again per petition. The old master-derived index key becomes the
 *   service-wide (`global`) index key, so blocks keep matching and old rows match new ones.
 * - Petitions get `retention_days`, `retention_ends_at`, `personal_data_erased_at`.
 *
 * The crypto is written out here rather than imported, so this migration does what it did when
 * it landed whatever later becomes of src/. It needs the service's key only when there is data.
 */
export class PetitionKeys1765500000000 implements MigrationInterface {
  name = 'PetitionKeys1765500000000';

  async up(db: QueryRunner): Promise<void> {
    const retentionDays = migrationSecrets().retentionDays ?? 180;
    await db.query(`
      CREATE TABLE data_keys (
        scope text NOT NULL CHECK (scope IN ('global', 'petition', 'register')),
        owner_id uuid NOT NULL,
        wrapped bytea NOT NULL,
        wrapping_key_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        rewrapped_at timestamptz,
        PRIMARY KEY (scope, owner_id)
      )`);
    await db.query(`CREATE INDEX data_keys_wrapping_key_idx ON data_keys (wrapping_key_id)`);

    await db.query(`
      ALTER TABLE petitions
        ADD COLUMN retention_days integer NOT NULL DEFAULT ${Number(retentionDays)}
          CHECK (retention_days >= 0),
        ADD COLUMN retention_ends_at timestamptz,
        ADD COLUMN personal_data_erased_at timestamptz`);
    await db.query(`
      UPDATE petitions p SET retention_ends_at = CASE
          WHEN p.status = 'closed' THEN p.closed_at
          ELSE coalesce((SELECT max(e.created_at) FROM petition_events e
                          WHERE e.petition_id = p.id AND e.to_status = 'rejected'), p.updated_at)
        END + make_interval(days => p.retention_days)
       WHERE p.status IN ('closed', 'rejected')`);
    await db.query(
      `CREATE INDEX petitions_retention_due_idx ON petitions (retention_ends_at)
         WHERE personal_data_erased_at IS NULL AND retention_ends_at IS NOT NULL`,
    );

    await db.query(`
      ALTER TABLE signatures
        ADD COLUMN email_index bytea,
        ADD COLUMN email_encrypted bytea,
        ADD COLUMN source_global_encrypted bytea`);
    // A held re-sign (see ResignHoldsRepository) keeps the source hash for when it is confirmed.
    await db.query(`ALTER TABLE signature_resign_holds ADD COLUMN source_global_encrypted bytea`);

    await convert(db);

    // Any other index or constraint on signatory_id (e.g. a partial one-per-signatory index) goes
    // with the column.
    await db.query(`ALTER TABLE signatures DROP CONSTRAINT IF EXISTS signatures_one_per_signatory`);
    await db.query(`ALTER TABLE signatures DROP COLUMN signatory_id`);
    await db.query(`DROP TABLE signatories`);
    // One public signature per email per petition; imported rows are their own signatures.
    await db.query(
      `CREATE UNIQUE INDEX signatures_one_per_email ON signatures (petition_id, email_index)
         WHERE origin = 'public'`,
    );
    // The duplicate check finds imported rows by address (they are their own signatures).
    await db.query(
      `CREATE INDEX signatures_imported_email_idx ON signatures (petition_id, email_index)
         WHERE origin = 'import'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    const [{ n }] = (await db.query(
      `SELECT count(*)::int AS n FROM signatures WHERE email_encrypted IS NOT NULL`,
    )) as Array<{ n: number }>;
    if (n > 0) {
      throw new Error(
        'PetitionKeys1765500000000 cannot be reverted while signatures hold signer data: the ' +
          'per-petition keys cannot be turned back into one global signatory table without ' +
          'linking signers across petitions. Restore a backup taken before it instead.',
      );
    }
    await db.query(`DROP INDEX signatures_imported_email_idx`);
    await db.query(`DROP INDEX signatures_one_per_email`);
    await db.query(`
      CREATE TABLE signatories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email_index bytea NOT NULL CONSTRAINT signatories_email_index_key UNIQUE,
        email_encrypted bytea,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `ALTER TABLE signatures ADD COLUMN signatory_id uuid REFERENCES signatories (id)`,
    );
    await db.query(
      `ALTER TABLE signatures ADD CONSTRAINT signatures_one_per_signatory UNIQUE (petition_id, signatory_id)`,
    );
    await db.query(`
      ALTER TABLE signatures
        DROP COLUMN email_index, DROP COLUMN email_encrypted, DROP COLUMN source_global_encrypted`);
    await db.query(`ALTER TABLE signature_resign_holds DROP COLUMN source_global_encrypted`);
    await db.query(`DROP INDEX petitions_retention_due_idx`);
    await db.query(`
      ALTER TABLE petitions
        DROP COLUMN retention_days, DROP COLUMN retention_ends_at,
        DROP COLUMN personal_data_erased_at`);
    await db.query(`DROP TABLE data_keys`);
  }
}

const GLOBAL_OWNER = '00000000-0000-0000-0000-000000000000';
const BATCH = 1000;
const P = {
  email: 'signatory.email',
  token: 'signature.token',
  source: 'signature.source-ip',
  sourceGlobal: 'signature.source-global',
  userAgent: 'signature.user-agent',
};

interface OldRow {
  id: string;
  petition_id: string;
  old_email_index: Buffer | null;
  old_email_encrypted: Buffer | null;
  source_index: Buffer | null;
  user_agent_index: Buffer | null;
  token_encrypted: Buffer | null;
}

async function convert(db: QueryRunner): Promise<void> {
  const [{ signatures, blocks, alerts }] = (await db.query(
    `SELECT (SELECT count(*) FROM signatures)::int AS signatures,
            (SELECT count(*) FROM blocks)::int AS blocks,
            (SELECT count(*) FROM trending_alerts)::int AS alerts`,
  )) as Array<{ signatures: number; blocks: number; alerts: number }>;
  if (signatures + blocks + alerts === 0) return; // nothing to convert: keys are made when needed
  const master = migrationSecrets().dataEncryptionKey;
  if (!master) {
    throw new Error(
      'PetitionKeys1765500000000 converts stored signer data and needs DATA_ENCRYPTION_KEY ' +
        '(the key the service runs with). Run migrations through the service or `npm run migration:run` with it set.',
    );
  }
  const hkdf = (info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
  const oldEncryptionKey = hkdf('countersign/encrypt/v1');
  const oldIndexKey = hkdf('countersign/blind-index/v1');
  const wrappingKeyId = createHmac('sha256', master)
    .update('countersign/key-id/v1')
    .digest('hex')
    .slice(0, 16);
  const kek = hkdf('countersign/key-wrap/v1');
  const insertKeys = async (scope: string, owner: string, material: Buffer) =>
    db.query(
      `INSERT INTO data_keys (scope, owner_id, wrapped, wrapping_key_id) VALUES ($1, $2, $3, $4)`,
      [
        scope,
        owner,
        seal(kek, material, `wrap|${scope}:${owner}|${wrappingKeyId}`, 1),
        wrappingKeyId,
      ],
    );
  // The old index key stays the service-wide one: blocks' source hashes were made with it.
  await insertKeys('global', GLOBAL_OWNER, Buffer.concat([randomBytes(32), oldIndexKey]));

  const petitionKeys = new Map<string, { data: Buffer; index: Buffer }>();
  const keysOf = async (petitionId: string) => {
    let keys = petitionKeys.get(petitionId);
    if (!keys) {
      keys = { data: randomBytes(32), index: randomBytes(32) };
      await insertKeys('petition', petitionId, Buffer.concat([keys.data, keys.index]));
      petitionKeys.set(petitionId, keys);
    }
    return keys;
  };
  const readOld = (blob: Buffer, purpose: string, what: string) => {
    try {
      return open(oldEncryptionKey, blob, purpose, 1);
    } catch {
      throw new Error(
        `PetitionKeys1765500000000: a stored ${what} does not open with this DATA_ENCRYPTION_KEY; ` +
          'is it the key the service ran with? Nothing was changed.',
      );
    }
  };

  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = (await db.query(
      `SELECT s.id, s.petition_id, g.email_index AS old_email_index,
              g.email_encrypted AS old_email_encrypted, s.source_index, s.user_agent_index,
              s.token_encrypted
         FROM signatures s LEFT JOIN signatories g ON g.id = s.signatory_id
        WHERE s.id > $1 ORDER BY s.id LIMIT ${BATCH}`,
      [after],
    )) as OldRow[];
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    const out: Array<Array<Buffer | null>> = [];
    for (const row of rows) {
      const k = await keysOf(row.petition_id);
      const bound = (purpose: string) => `${purpose}|${row.id}`;
      const reindex = (old: Buffer | null, purpose: string) =>
        old && createHmac('sha256', k.index).update(purpose).update('\0').update(old).digest();
      out.push([
        reindex(row.old_email_index, P.email),
        row.old_email_encrypted &&
          seal(k.data, readOld(row.old_email_encrypted, P.email, 'email'), bound(P.email)),
        reindex(row.source_index, P.source),
        row.source_index && seal(k.data, row.source_index, bound(P.sourceGlobal)),
        reindex(row.user_agent_index, P.userAgent),
        row.token_encrypted &&
          seal(k.data, readOld(row.token_encrypted, P.token, 'token'), bound(P.token)),
      ]);
    }
    const column = (i: number) => out.map((values) => values[i]);
    await db.query(
      `UPDATE signatures s SET email_index = x.email_index, email_encrypted = x.email_encrypted,
              source_index = x.source_index, source_global_encrypted = x.source_global_encrypted,
              user_agent_index = x.user_agent_index, token_encrypted = x.token_encrypted
         FROM unnest($1::uuid[], $2::bytea[], $3::bytea[], $4::bytea[], $5::bytea[], $6::bytea[],
                     $7::bytea[])
           AS x(id, email_index, email_encrypted, source_index, source_global_encrypted,
                user_agent_index, token_encrypted)
        WHERE s.id = x.id`,
      [rows.map((row) => row.id), ...[0, 1, 2, 3, 4, 5].map(column)],
    );
  }

  // Held re-signs: their email ciphertext and source hash, as for their signature's row.
  const holds = (await db.query(
    `SELECT h.signature_id, s.petition_id, h.email_encrypted, h.source_index
       FROM signature_resign_holds h JOIN signatures s ON s.id = h.signature_id`,
  )) as Array<{
    signature_id: string;
    petition_id: string;
    email_encrypted: Buffer;
    source_index: Buffer;
  }>;
  for (const hold of holds) {
    const k = await keysOf(hold.petition_id);
    const bound = (purpose: string) => `${purpose}|${hold.signature_id}`;
    await db.query(
      `UPDATE signature_resign_holds SET email_encrypted = $2, source_index = $3,
              source_global_encrypted = $4
        WHERE signature_id = $1`,
      [
        hold.signature_id,
        seal(k.data, readOld(hold.email_encrypted, P.email, 'email'), bound(P.email)),
        createHmac('sha256', k.index)
          .update(P.source)
          .update('\0')
          .update(hold.source_index)
          .digest(),
        seal(k.data, hold.source_index, bound(P.sourceGlobal)),
      ],
    );
  }

  // Trending alerts compare with signatures' source indexes, which are now per petition.
  const sourceAlerts = (await db.query(
    `SELECT id, petition_id, source_index FROM trending_alerts WHERE source_index IS NOT NULL`,
  )) as Array<{ id: string; petition_id: string; source_index: Buffer }>;
  for (const alert of sourceAlerts) {
    const k = await keysOf(alert.petition_id);
    await db.query(`UPDATE trending_alerts SET source_index = $2 WHERE id = $1`, [
      alert.id,
      createHmac('sha256', k.index)
        .update(P.source)
        .update('\0')
        .update(alert.source_index)
        .digest(),
    ]);
  }
  for (const keys of petitionKeys.values()) {
    keys.data.fill(0);
    keys.index.fill(0);
  }
}

function seal(key: Buffer, plaintext: Buffer, aad: string, version = 2): Buffer {
  const iv = randomFillSync(Buffer.alloc(12));
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([version]), iv, cipher.getAuthTag(), body]);
}

function open(key: Buffer, blob: Buffer, aad: string, version: number): Buffer {
  if (blob.length < 29 || blob[0] !== version) throw new Error('not a ciphertext');
  const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 13));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(blob.subarray(13, 29));
  return Buffer.concat([decipher.update(blob.subarray(29)), decipher.final()]);
}
