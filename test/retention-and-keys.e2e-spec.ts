import { execFile } from 'node:child_process';
import { createDecipheriv, hkdfSync } from 'node:crypto';
import { promisify } from 'node:util';
import { AccountRole } from '../src/accounts/account-role.js';
import { DataProtector } from '../src/common/crypto/data-protector.js';
import { open as openSealed } from '../src/common/crypto/key-wrap.js';
import { KeyRing } from '../src/keys/key-ring.service.js';
import { RetentionService } from '../src/retention/retention.service.js';
import { EMAIL_PURPOSE, TOKEN_PURPOSE } from '../src/signatures/signer-data.js';
import { createAccount, openPetition, type TestAccount } from './support/factories.js';
import { SmtpSink, tokenFrom } from './support/smtp-sink.js';
import { startTestApp, TEST_DATA_KEY, type TestApp } from './support/test-app.js';
import { databaseUrl } from './support/test-env.js';
import { waitFor } from './support/wait.js';

const run = promisify(execFile);
/** Made-up keys for the rotation (never real ones). */
const KEY_B = Buffer.alloc(32, 0xb2).toString('base64');
const KEY_C = Buffer.alloc(32, 0xc3).toString('base64');

/** Every way this spec can think of to open a ciphertext with what a running service holds. */
function opensWithAnything(t: TestApp, blob: Buffer, purpose: string, rowId: string): string[] {
  const ring = t.app.get(KeyRing, { strict: false });
  const opened: string[] = [];
  const attempt = (what: string, fn: () => unknown) => {
    try {
      fn();
      opened.push(what);
    } catch {
      // did not open: what we want
    }
  };
  for (const keys of ring.heldKeys()) {
    attempt(`held ${keys.owner}`, () => keys.decryptBytes(blob, purpose, rowId));
  }
  for (const master of ring.masters) {
    const derive = (info: string) =>
      Buffer.from(hkdfSync('sha256', master.key, Buffer.alloc(0), info, 32));
    for (const key of [
      master.key,
      derive('countersign/encrypt/v1'),
      derive('countersign/key-wrap/v1'),
      derive('countersign/blind-index/v1'),
    ]) {
      attempt(`master ${master.id}`, () => openSealed(key, blob, `${purpose}|${rowId}`));
      attempt(`master ${master.id} v1`, () => {
        const d = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 13));
        d.setAuthTag(blob.subarray(13, 29));
        return Buffer.concat([d.update(blob.subarray(29)), d.final()]);
      });
    }
  }
  attempt('the DataProtector', () =>
    t.app.get(DataProtector, { strict: false }).decrypt(blob, purpose),
  );
  return opened;
}

async function dump(t: TestApp): Promise<string> {
  const { stdout } = await run('pg_dump', ['--data-only', databaseUrl(t.databaseName)], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

describe('retention and keys', () => {
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
  });
  afterAll(async () => {
    await smtp?.stop();
  });

  const counts = async (t: TestApp, id: string) =>
    (await t.http().get(`/v1/petitions/${id}/counts`).expect(200)).body as Record<string, unknown>;

  describe('retention', () => {
    let t: TestApp;
    let organiser: TestAccount;
    let moderator: TestAccount;

    beforeAll(async () => {
      t = await startTestApp({
        env: { SMTP_URL: smtp.url, RETENTION_SWEEP_INTERVAL_SECONDS: '1' },
      });
      organiser = await createAccount(t, AccountRole.Organiser);
      moderator = await createAccount(t, AccountRole.Moderator);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('rejects a retentionDays over RETENTION_DAYS or below 0, and defaults to it', async () => {
      const base = { title: 'Open letter on the harbour', body: 'Text.', addressee: 'Council' };
      for (const retentionDays of [181, -1, 1.5]) {
        const res = await t
          .http()
          .post('/v1/petitions')
          .set(organiser.auth)
          .send({ ...base, retentionDays })
          .expect(400);
        expect(res.body.code).toBe('validation_failed');
        expect(res.body.details).toEqual([expect.objectContaining({ field: 'retentionDays' })]);
      }
      const created = await t
        .http()
        .post('/v1/petitions')
        .set(organiser.auth)
        .send(base)
        .expect(201);
      expect(created.body).toMatchObject({
        retentionDays: 180,
        retentionEndsAt: null,
        personalDataErasedAt: null,
      });
      const patched = await t
        .http()
        .patch(`/v1/petitions/${created.body.id}`)
        .set(organiser.auth)
        .send({ retentionDays: 30 })
        .expect(200);
      expect(patched.body.retentionDays).toBe(30);

      // A rejected petition's retention counts from its rejection.
      await t
        .http()
        .post(`/v1/petitions/${created.body.id}/submit`)
        .set(organiser.auth)
        .expect(200);
      const rejectedAt = Date.now();
      const rejected = await t
        .http()
        .post(`/v1/moderation/petitions/${created.body.id}/decision`)
        .set(moderator.auth)
        .send({ decision: 'reject', reasonCode: 'spam' })
        .expect(200);
      expect(rejected.body.status).toBe('rejected');
      const ends = Date.parse(rejected.body.retentionEndsAt) - 30 * 86_400_000;
      expect(Math.abs(ends - rejectedAt)).toBeLessThan(5_000);
    });

    it('erases a closed petition with retentionDays 0: gone from a dump, its ciphertexts dead, counts kept', async () => {
      const petition = await openPetition(t, organiser, moderator, {
        retentionDays: 0,
        requireEmailConfirmation: false,
      });
      const signers = [
        { fullName: 'Zinaida Erasova', email: 'zinaida.erasova@example.org' },
        { fullName: 'Kliment Erasov', email: 'kliment.erasov@example.org' },
      ];
      for (const s of signers) {
        await t
          .http()
          .post(`/v1/petitions/${petition.id}/signatures`)
          .send({
            ...s,
            district: 'Harbour District',
            title: 'Lighthouse keeper',
            displayPublicly: true,
            comment: 'Quietly-unique-comment-4711',
          })
          .expect(202);
      }
      await waitFor('the signatures checked', async () => {
        const { rows } = await t.db.query(
          `SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1 AND status <> 'pending'`,
          [petition.id],
        );
        return rows[0].n === 2 ? true : undefined;
      });
      const { rows: kept } = await t.db.query<{ id: string; email_encrypted: Buffer }>(
        `SELECT id, email_encrypted FROM signatures WHERE petition_id = $1`,
        [petition.id],
      );
      const before = await dump(t);
      // The test can fail: the data is there before.
      expect(before).toContain('Zinaida Erasova');
      expect(before).toContain('Quietly-unique-comment-4711');
      for (const row of kept) {
        expect(opensWithAnything(t, row.email_encrypted, EMAIL_PURPOSE, row.id)).toContain(
          `held petition:${petition.id}`,
        );
      }

      await t
        .http()
        .post(`/v1/petitions/${petition.id}/close`)
        .set(organiser.auth)
        .send({})
        .expect(200);
      const countsBefore = await waitFor('the counts to show both', async () => {
        const c = await counts(t, petition.id);
        return c.verified === 2 ? c : undefined;
      });
      const erased = await waitFor(
        'the petition erased',
        async () => {
          const res = await t.http().get(`/v1/petitions/${petition.id}`).expect(200);
          return res.body.personalDataErasedAt ? res.body : undefined;
        },
        { timeoutMs: 15_000 },
      );
      expect(Date.parse(erased.retentionEndsAt)).toBe(Date.parse(erased.closedAt));

      const after = await dump(t);
      for (const gone of [
        'Zinaida Erasova',
        'Kliment Erasov',
        'zinaida.erasova',
        'Quietly-unique-comment-4711',
        'Lighthouse keeper',
      ]) {
        expect(after).not.toContain(gone);
      }
      const { rows: keyRows } = await t.db.query(
        `SELECT 1 FROM data_keys WHERE scope = 'petition' AND owner_id = $1`,
        [petition.id],
      );
      expect(keyRows).toEqual([]);
      // The shredding property, by trying: the copies made before open with nothing held now.
      const ring = t.app.get(KeyRing, { strict: false });
      expect(await ring.petitionKeys(petition.id)).toBeNull();
      for (const row of kept) {
        expect(opensWithAnything(t, row.email_encrypted, EMAIL_PURPOSE, row.id)).toEqual([]);
      }

      expect(await counts(t, petition.id)).toEqual(countsBefore);
      const list = await t.http().get(`/v1/petitions/${petition.id}/signatures`).expect(200);
      expect(list.body.items).toEqual([]);
      const csv = await t
        .http()
        .get(`/v1/petitions/${petition.id}/signatures.csv`)
        .set(organiser.auth)
        .expect(200);
      expect(csv.text.trim()).toBe('fullName,district,title,verifiedAt');
      const { rows: statuses } = await t.db.query(
        `SELECT status, district FROM signatures WHERE petition_id = $1`,
        [petition.id],
      );
      expect(statuses).toHaveLength(2);
      expect(statuses.every((r) => r.district === 'Harbour District')).toBe(true);
    });
  });

  describe('the retention job', () => {
    let t: TestApp;
    let organiser: TestAccount;
    let moderator: TestAccount;

    beforeAll(async () => {
      // The scheduled sweep stays out of the way (an hour): this test runs the job itself.
      t = await startTestApp({ env: { SMTP_URL: smtp.url } });
      organiser = await createAccount(t, AccountRole.Organiser);
      moderator = await createAccount(t, AccountRole.Moderator);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('erases each due petition once, however many workers run it at the same time', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const petition = await openPetition(t, organiser, moderator, {
          retentionDays: 0,
          requireEmailConfirmation: false,
        });
        await t
          .http()
          .post(`/v1/petitions/${petition.id}/signatures`)
          .send({ fullName: `Concurrent Signer ${i}`, email: `concurrent.${i}@example.org` })
          .expect(202);
        await t
          .http()
          .post(`/v1/petitions/${petition.id}/close`)
          .set(organiser.auth)
          .send({})
          .expect(200);
        ids.push(petition.id);
      }
      const retention = t.app.get(RetentionService, { strict: false });
      const runs = await Promise.all(Array.from({ length: 4 }, () => retention.eraseDue()));
      expect(runs.reduce((n, run) => n + run.erased, 0)).toBe(3);
      expect(await retention.eraseDue()).toEqual({ erased: 0 });
      const { rows } = await t.db.query(
        `SELECT count(*)::int AS n FROM signatures
          WHERE petition_id = ANY($1::uuid[]) AND full_name IS NOT NULL`,
        [ids],
      );
      expect(rows[0].n).toBe(0);
    });
  });

  describe('binding', () => {
    let t: TestApp;
    let organiser: TestAccount;
    let moderator: TestAccount;

    beforeAll(async () => {
      t = await startTestApp({
        env: { SMTP_URL: smtp.url, SWEEP_INTERVAL_SECONDS: '1', SWEEP_STALE_SECONDS: '0' },
      });
      organiser = await createAccount(t, AccountRole.Organiser);
      moderator = await createAccount(t, AccountRole.Moderator);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('a ciphertext copied to another row does not open there, and no client gets a 500', async () => {
      const petition = await openPetition(t, organiser, moderator);
      const a = 'arkady.bound@example.org';
      const b = 'bella.bound@example.org';
      for (const [email, fullName] of [
        [a, 'Arkady Boundov'],
        [b, 'Bella Boundova'],
      ]) {
        await t
          .http()
          .post(`/v1/petitions/${petition.id}/signatures`)
          .send({ fullName, email })
          .expect(202);
        await waitFor(`the mail to ${email}`, async () => smtp.mailsTo(email)[0]);
      }
      const { rows } = await t.db.query<{
        id: string;
        email_encrypted: Buffer;
        source_global_encrypted: Buffer;
      }>(
        `SELECT id, email_encrypted, source_global_encrypted FROM signatures
          WHERE petition_id = $1 ORDER BY full_name`,
        [petition.id],
      );
      const [rowA, rowB] = rows;
      const keys = (await t.app.get(KeyRing, { strict: false }).petitionKeys(petition.id))!;
      expect(keys.decrypt(rowA.email_encrypted, EMAIL_PURPOSE, rowA.id)).toBe(a);
      expect(() => keys.decrypt(rowA.email_encrypted, EMAIL_PURPOSE, rowB.id)).toThrow(
        'could not be decrypted',
      );

      // A's source hash moved onto B: a source block named by B finds no readable source (400).
      await t.db.query(`UPDATE signatures SET source_global_encrypted = $2 WHERE id = $1`, [
        rowB.id,
        rowA.source_global_encrypted,
      ]);
      const refused = await t
        .http()
        .post('/v1/moderation/blocks')
        .set(moderator.auth)
        .send({ kind: 'source', value: rowB.id, action: 'review' })
        .expect(400);
      expect(refused.body.code).toBe('validation_failed');
      await t
        .http()
        .post('/v1/moderation/blocks')
        .set(moderator.auth)
        .send({ kind: 'source', value: rowA.id, action: 'review' })
        .expect(201);

      // A's address and token moved onto B, with its mail owed again: the mail worker cannot
      // compose it (neither opens for B's row), so nothing goes to A, and the mail is dropped.
      const sealedToken = keys.encrypt('a-made-up-token', TOKEN_PURPOSE, rowA.id);
      await t.db.query(
        `UPDATE signatures SET email_encrypted = $2, token_encrypted = $3, mail_sent_at = NULL,
                work_batch = NULL
          WHERE id = $1`,
        [rowB.id, rowA.email_encrypted, sealedToken],
      );
      await waitFor('the unreadable mail dropped', async () => {
        const { rows: owed } = await t.db.query(
          `SELECT token_encrypted FROM signatures WHERE id = $1`,
          [rowB.id],
        );
        return owed[0].token_encrypted === null ? true : undefined;
      });
      expect(smtp.mailsTo(a)).toHaveLength(1);
      expect(smtp.mails.some((m) => m.text.includes('a-made-up-token'))).toBe(false);
    });
  });

  describe('rotation', () => {
    let first: TestApp;
    const replicas: TestApp[] = [];
    let organiser: TestAccount;
    let moderator: TestAccount;

    beforeAll(async () => {
      first = await startTestApp({ env: { SMTP_URL: smtp.url } });
      organiser = await createAccount(first, AccountRole.Organiser);
      moderator = await createAccount(first, AccountRole.Moderator);
    });
    afterAll(async () => {
      for (const replica of replicas) await replica.close();
      await first?.close();
    });

    const restart = async (env: Record<string, string>): Promise<TestApp> => {
      const app = await startTestApp({ replicaOf: first, env: { SMTP_URL: smtp.url, ...env } });
      replicas.push(app);
      return app;
    };
    const keysCheck = async (t: TestApp) => {
      const res = await t.http().get('/health').expect(200);
      return res.body as {
        checks: { keys: Record<string, unknown> };
        warnings: Array<{ code: string; keyId?: string }>;
      };
    };

    it('keeps working across a rotation and a restart with only the new key', async () => {
      const petition = await openPetition(first, organiser, moderator);
      const email = 'rostislav.rotov@example.org';
      const sign = (t: TestApp, address: string, fullName: string) =>
        t
          .http()
          .post(`/v1/petitions/${petition.id}/signatures`)
          .send({ fullName, email: address, district: 'District 9' })
          .expect(202);
      await sign(first, email, 'Rostislav Rotov');
      const mail = await waitFor('the first mail', async () => smtp.mailsTo(email)[0]);
      await first
        .http()
        .post('/v1/signatures/confirm')
        .send({ token: tokenFrom(mail) })
        .expect(200);
      await waitFor('the first signature verified', async () => {
        const { rows } = await first.db.query(
          `SELECT status FROM signatures WHERE petition_id = $1`,
          [petition.id],
        );
        return rows[0]?.status === 'verified' ? true : undefined;
      });
      const oldKeyId = (await keysCheck(first)).checks.keys.currentKeyId as string;
      await first.stop();

      // The new key, the old one listed as previous: the job re-wraps everything.
      const rotating = await restart({
        DATA_ENCRYPTION_KEY: KEY_B,
        PREVIOUS_DATA_ENCRYPTION_KEYS: TEST_DATA_KEY,
        KEY_ROTATION_INTERVAL_SECONDS: '1',
      });
      const done = await waitFor('every key re-wrapped', async () => {
        const health = await keysCheck(rotating);
        return health.checks.keys.wrappedUnderPrevious === 0 ? health : undefined;
      });
      expect(done.checks.keys).toMatchObject({
        status: 'warning',
        unreadable: 0,
        previousKeys: [{ keyId: oldKeyId, wraps: 0 }],
      });
      expect(done.checks.keys.currentKeyId).not.toBe(oldKeyId);
      expect(done.checks.keys.wrappedUnderCurrent).toBeGreaterThanOrEqual(2);
      // The previous key no longer opens anything: said, not ignored.
      expect(done.warnings).toContainEqual(
        expect.objectContaining({ code: 'previous_key_unused', keyId: oldKeyId }),
      );
      await rotating.stop();

      // Only the new key.
      const t = await restart({ DATA_ENCRYPTION_KEY: KEY_B });
      const health = await keysCheck(t);
      expect(health.checks.keys).toMatchObject({ status: 'ok', unreadable: 0, previousKeys: [] });
      expect(health.warnings).toEqual([]);

      // A repeat is recognised: no second signature.
      await sign(t, email, 'Rostislav Rotov');
      const { rows } = await t.db.query(
        `SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1`,
        [petition.id],
      );
      expect(rows[0].n).toBe(1);
      // Mails still go out, and their links work.
      const other = 'varvara.rotova@example.org';
      await sign(t, other, 'Varvara Rotova');
      const second = await waitFor('the mail after rotation', async () => smtp.mailsTo(other)[0]);
      await t
        .http()
        .post('/v1/signatures/confirm')
        .send({ token: tokenFrom(second) })
        .expect(200);
      expect(smtp.mailsTo(email)).toHaveLength(1);
      // The export works.
      const csv = await t
        .http()
        .get(`/v1/petitions/${petition.id}/signatures.csv`)
        .set(organiser.auth)
        .expect(200);
      expect(csv.text).toContain('Rostislav Rotov');
      await t.stop();

      // A key that opens nothing: reported, and a signer gets a 503, never a 500.
      const wrong = await restart({ DATA_ENCRYPTION_KEY: KEY_C });
      const lost = await keysCheck(wrong);
      expect(lost.checks.keys).toMatchObject({ status: 'warning', wrappedUnderCurrent: 0 });
      expect(lost.checks.keys.unreadable).toBeGreaterThanOrEqual(2);
      expect(lost.warnings).toContainEqual(
        expect.objectContaining({ code: 'data_keys_unreadable' }),
      );
      const refused = await wrong
        .http()
        .post(`/v1/petitions/${petition.id}/signatures`)
        .send({ fullName: 'Gleb Rotov', email: 'gleb.rotov@example.org' })
        .expect(503);
      expect(refused.body.code).toBe('service_unavailable');
    });
  });
});
