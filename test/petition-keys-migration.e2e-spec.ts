import pg from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations/index.js';
import { PetitionKeys1765500000000 } from '../migrations/1765500000000-petition-keys.js';
import { DataProtector } from '../src/common/crypto/data-protector.js';
import { generateToken, hashToken } from '../src/common/crypto/token.js';
import type { AppConfig } from '../src/config/app-config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { ensureDatabase } from '../src/database/ensure-database.js';
import { migrate } from '../src/database/migrate.js';
import { SmtpSink, tokenFrom } from './support/smtp-sink.js';
import { startTestApp, TEST_DATA_KEY, type TestApp } from './support/test-app.js';
import { databaseUrl, randomName, runId, SERVER_DATABASE_URL } from './support/test-env.js';
import { waitFor } from './support/wait.js';

/**
 * Data written the way the service wrote it before per-petition keys (one global signatory table,
 * everything under keys derived from DATA_ENCRYPTION_KEY), converted by the migration, then used
 * by the service: its mail goes out, a repeat is recognised, and a global source block made
 * before still matches new signatures from that source.
 */
describe('the per-petition keys migration', () => {
  const name = randomName(runId());
  const url = databaseUrl(name);
  const master = Buffer.from(TEST_DATA_KEY, 'base64');
  const old = new DataProtector({
    dataEncryptionKey: master,
    previousDataEncryptionKeys: [],
  } as unknown as AppConfig);
  let smtp: SmtpSink;
  let t: TestApp | undefined;
  let db: pg.Pool;

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    await ensureDatabase(url);
    const before = new DataSource({
      ...dataSourceOptions({ databaseUrl: url }, { poolSize: 1 }),
      migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(PetitionKeys1765500000000)),
    });
    await before.initialize();
    await before.runMigrations({ transaction: 'each' });
    await before.destroy();
    db = new pg.Pool({ connectionString: url, max: 2 });
  });
  afterAll(async () => {
    await t?.close();
    await db?.end();
    await smtp?.stop();
    const admin = new pg.Client({ connectionString: SERVER_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('converts signatures, tokens, source hashes and blocks, and the service reads them', async () => {
    const email = 'olesya.migrova@example.org';
    const token = generateToken();
    const { rows: accounts } = await db.query(
      `INSERT INTO accounts (email, display_name, role) VALUES
         ('organiser.migration@example.test', 'Test organiser', 'organiser'),
         ('moderator.migration@example.test', 'Test moderator', 'moderator')
       RETURNING id`,
    );
    const { rows: petitions } = await db.query(
      `INSERT INTO petitions (slug, title, body, addressee, status, organiser_id, opened_at,
                              require_email_confirmation)
       VALUES ('old-letter', 'An old open letter', 'Text.', 'Council', 'open', $1, now(), true),
              ('old-letter-two', 'Another old letter', 'Text.', 'Council', 'open', $1, now(), false)
       RETURNING id`,
      [accounts[0].id],
    );
    const { rows: signatories } = await db.query(
      `INSERT INTO signatories (email_index, email_encrypted) VALUES ($1, $2) RETURNING id`,
      [old.blindIndex(email, 'signatory.email'), old.encrypt(email, 'signatory.email')],
    );
    // Every request of a spec comes from 127.0.0.1: the source this old signature recorded.
    const source = old.blindIndex('127.0.0.1', 'signature.source-ip');
    const { rows: signatures } = await db.query(
      `INSERT INTO signatures (petition_id, signatory_id, status, origin, full_name, name_key,
                               email_domain, source_index, token_hash, token_encrypted,
                               token_expires_at)
       VALUES ($1, $2, 'unconfirmed', 'public', 'Olesya Migrova', 'olesya migrova', 'example.org',
               $3, $4, $5, now() + interval '7 days')
       RETURNING id`,
      [
        petitions[0].id,
        signatories[0].id,
        source,
        hashToken(token),
        old.encrypt(token, 'signature.token'),
      ],
    );
    await db.query(
      `INSERT INTO petition_count_shards (petition_id, shard, unconfirmed) VALUES ($1, 0, 1)`,
      [petitions[0].id],
    );
    await db.query(
      `INSERT INTO blocks (kind, value, source_index, action, reason_code, created_by)
       VALUES ('source', $1, $2, 'review', 'fraudulent', $3)`,
      [signatures[0].id, source, accounts[1].id],
    );

    // A conversion needs the key; without it, it refuses and changes nothing.
    await expect(migrate({ databaseUrl: url })).rejects.toThrow('needs DATA_ENCRYPTION_KEY');
    expect((await db.query(`SELECT to_regclass('signatories') AS t`)).rows[0].t).toBe(
      'signatories',
    );
    await migrate({ databaseUrl: url, dataEncryptionKey: master, retentionDays: 180 });
    const { rows: converted } = await db.query(
      `SELECT email_index, email_encrypted, source_index, source_global_encrypted
         FROM signatures WHERE id = $1`,
      [signatures[0].id],
    );
    expect(converted[0].email_encrypted).not.toBeNull();
    expect(converted[0].source_index.equals(source)).toBe(false);
    expect((await db.query(`SELECT to_regclass('signatories') AS t`)).rows[0].t).toBeNull();

    t = await startTestApp({
      databaseUrl: () => url,
      env: {
        SMTP_URL: smtp.url,
        SWEEP_INTERVAL_SECONDS: '1',
        SWEEP_STALE_SECONDS: '0',
        SOURCE_BURST_LIMIT: '100000',
      },
    });
    // The mail owed before the migration goes out, to the address, with the same token.
    const mail = await waitFor('the converted mail', async () => smtp.mailsTo(email)[0]);
    expect(tokenFrom(mail)).toBe(token);
    // A repeat is recognised as the same signer.
    await t
      .http()
      .post(`/v1/petitions/${petitions[0].id}/signatures`)
      .send({ fullName: 'Olesya Migrova', email: 'Olesya.Migrova@example.org' })
      .expect(202);
    const { rows: count } = await db.query(
      `SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1`,
      [petitions[0].id],
    );
    expect(count[0].n).toBe(1);
    // The global block made before still covers this source, on another petition too.
    await t
      .http()
      .post(`/v1/petitions/${petitions[1].id}/signatures`)
      .send({ fullName: 'Taisia Blockova', email: 'taisia.blockova@example.org' })
      .expect(202);
    const checked = await waitFor('the new signature checked', async () => {
      const { rows } = await db.query(
        `SELECT status, checks FROM signatures WHERE petition_id = $1 AND status <> 'pending'`,
        [petitions[1].id],
      );
      return rows[0] as { status: string; checks: Array<{ name: string; outcome: string }> };
    });
    expect(checked.status).toBe('needs_review');
    expect(checked.checks).toContainEqual(
      expect.objectContaining({ name: 'block', outcome: 'review' }),
    );
  });
});
