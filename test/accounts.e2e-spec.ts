import type { Response } from 'supertest';
import { AccountRole, BOOTSTRAP_ADMIN_ID } from '../src/accounts/account-role.js';
import type { EntityManager } from 'typeorm';
import { AccountLifecycle } from '../src/accounts/account-lifecycle.js';
import { hashToken } from '../src/common/crypto/token.js';
import {
  adminAuth,
  createAccount,
  createPetition,
  openPetition,
  type TestAccount,
} from './support/factories.js';
import { ADMIN_TOKEN, startTestApp, type TestApp } from './support/test-app.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const UNKNOWN_ID = '7d4e1f6a-2b3c-4d5e-8f90-a1b2c3d4e5f6';

/** Exactly the contract's error body, with this status and code and a message a person can read. */
function expectError(res: Response, statusCode: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status: statusCode, code });
  expect(Object.keys(res.body as object).sort()).toEqual([
    'code',
    'details',
    'message',
    'statusCode',
  ]);
  expect(res.body.statusCode).toBe(statusCode);
  expect(res.body.message).toMatch(/^[A-Z].*[a-z]/);
}

interface AccountItem {
  id: string;
  email: string;
  displayName: string;
  role: string;
  createdAt: string;
  deactivatedAt: string | null;
}

describe('accounts', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Logs are kept to check that no token ever reaches them.
    t = await startTestApp({ captureLogs: true });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lets the admin create accounts whose token works once shown', async () => {
    const res = await t
      .http()
      .post('/v1/accounts')
      .set(adminAuth)
      .send({ email: '  Nadia.Org@Example.test ', displayName: ' Nadia ', role: 'organiser' })
      .expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: 'nadia.org@example.test',
      displayName: 'Nadia',
      role: 'organiser',
      token: expect.any(String),
    });
    expect(Buffer.from(res.body.token, 'base64url').length).toBeGreaterThanOrEqual(32);
    expect(res.headers['cache-control']).toBe('no-store');

    const me = await t
      .http()
      .get('/v1/me')
      .set({ Authorization: `Bearer ${res.body.token}` })
      .expect(200);
    expect(me.body).toEqual({
      id: res.body.id,
      email: 'nadia.org@example.test',
      displayName: 'Nadia',
      role: 'organiser',
    });
  });

  it('stores only a hash of the token', async () => {
    const account = await createAccount(t, AccountRole.Moderator);
    const { rows } = await t.db.query<{ token_hash: Buffer }>(
      'SELECT token_hash FROM accounts WHERE id = $1',
      [account.id],
    );
    expect(rows[0].token_hash).toBeInstanceOf(Buffer);
    expect(rows[0].token_hash.length).toBe(32);
    const stored = await t.db.query(`SELECT 1 FROM accounts WHERE token_hash::text LIKE $1`, [
      `%${account.token}%`,
    ]);
    expect(stored.rowCount).toBe(0);
  });

  it('refuses a second account with the same email, case aside', async () => {
    await createAccount(t, AccountRole.Organiser, { email: 'same@example.test' });
    const res = await t
      .http()
      .post('/v1/accounts')
      .set(adminAuth)
      .send({ email: 'SAME@example.test', displayName: 'Again', role: 'moderator' })
      .expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, code: 'account_exists' });
  });

  it('validates every field and names it', async () => {
    const res = await t
      .http()
      .post('/v1/accounts')
      .set(adminAuth)
      .send({ email: 'not-an-email', displayName: '   ', role: 'superuser', extra: true })
      .expect(400);
    expect(res.body.code).toBe('validation_failed');
    const fields = (res.body.details as { field: string }[]).map((d) => d.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['displayName', 'email', 'extra', 'role']));
  });

  it('lets only the admin create accounts', async () => {
    const organiser = await createAccount(t, AccountRole.Organiser);
    const moderator = await createAccount(t, AccountRole.Moderator);
    const body = { email: 'x@example.test', displayName: 'X', role: 'organiser' };
    await t.http().post('/v1/accounts').send(body).expect(401);
    await t
      .http()
      .post('/v1/accounts')
      .set({ Authorization: 'Bearer wrong-token' })
      .send(body)
      .expect(401);
    for (const account of [organiser, moderator]) {
      const res = await t.http().post('/v1/accounts').set(account.auth).send(body).expect(403);
      expect(res.body.code).toBe('forbidden');
    }
  });

  it('shows the bootstrap admin on /v1/me and needs a token there', async () => {
    const me = await t.http().get('/v1/me').set(adminAuth).expect(200);
    expect(me.body.role).toBe('admin');
    const anonymous = await t.http().get('/v1/me').expect(401);
    expect(anonymous.body).toMatchObject({ statusCode: 401, code: 'unauthorized', details: [] });
    await t.http().get('/v1/me').set({ Authorization: 'Basic abc' }).expect(401);
  });

  it('refuses the token of a deactivated account even while its hash is still stored', async () => {
    const account = await createAccount(t, AccountRole.Moderator);
    await t.http().get('/v1/me').set(account.auth).expect(200);
    // Only the flag, not the hash: authentication itself must look at deactivated_at.
    await t.db.query('UPDATE accounts SET deactivated_at = now() WHERE id = $1', [account.id]);
    const res = await t.http().get('/v1/me').set(account.auth).expect(401);
    expect(res.body).toMatchObject({ statusCode: 401, code: 'unauthorized' });
  });

  describe('GET /v1/accounts', () => {
    /** Every page from the first, following nextCursor; fails on a loop instead of hanging. */
    const allPages = async (limit?: number): Promise<AccountItem[][]> => {
      const pages: AccountItem[][] = [];
      let cursor: string | null = null;
      do {
        const res = await t
          .http()
          .get('/v1/accounts')
          .set(adminAuth)
          .query({ ...(limit ? { limit } : {}), ...(cursor ? { cursor } : {}) })
          .expect(200);
        expect(Object.keys(res.body as object).sort()).toEqual(['items', 'nextCursor']);
        pages.push(res.body.items as AccountItem[]);
        cursor = res.body.nextCursor as string | null;
      } while (cursor !== null && pages.length < 100);
      expect(cursor).toBeNull();
      return pages;
    };

    it('lists every account newest first, the bootstrap admin included, without tokens', async () => {
      const older = await createAccount(t, AccountRole.Organiser);
      const newer = await createAccount(t, AccountRole.Moderator);
      const [items] = await allPages(100);
      const ids = items.map((item) => item.id);
      expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
      expect(ids).toContain(BOOTSTRAP_ADMIN_ID);

      const { rows } = await t.db.query<{ id: string }>(
        'SELECT id FROM accounts ORDER BY created_at DESC, id DESC',
      );
      expect(ids).toEqual(rows.map((row) => row.id));

      expect(items.find((item) => item.id === newer.id)).toEqual({
        id: newer.id,
        email: newer.email,
        displayName: 'Test moderator',
        role: 'moderator',
        createdAt: expect.stringMatching(ISO),
        deactivatedAt: null,
      });
      const text = JSON.stringify(items);
      expect(text).not.toMatch(/token/i);
      for (const account of [older, newer]) expect(text).not.toContain(account.token);
    });

    it('pages with limit and cursor, each account once, even when they were created at the same instant', async () => {
      // Same created_at for several rows: the cursor must break the tie on id, not skip or repeat.
      await t.db.query(
        `INSERT INTO accounts (email, display_name, role, created_at)
         SELECT 'tied-' || n || '@example.test', 'Tied ' || n, 'organiser', '2026-01-01T00:00:00Z'
           FROM generate_series(1, 5) AS n`,
      );
      for (let n = 0; n < 16; n += 1) await createAccount(t, AccountRole.Organiser);
      const { rows } = await t.db.query<{ id: string }>(
        'SELECT id FROM accounts ORDER BY created_at DESC, id DESC',
      );
      expect(rows.length).toBeGreaterThan(20);

      const byTwo = await allPages(2);
      expect(byTwo.slice(0, -1).every((page) => page.length === 2)).toBe(true);
      expect(byTwo.flat().map((item) => item.id)).toEqual(rows.map((row) => row.id));
      const byOne = await allPages(1);
      expect(byOne.flat().map((item) => item.id)).toEqual(rows.map((row) => row.id));

      const first = await t.http().get('/v1/accounts').set(adminAuth).expect(200);
      expect(first.body.items).toHaveLength(20);
      expect(first.body.nextCursor).toEqual(expect.any(String));
    });

    it('refuses a bad limit or cursor with the field named', async () => {
      for (const limit of ['0', '101', 'abc', '1.5']) {
        const res = await t.http().get('/v1/accounts').set(adminAuth).query({ limit }).expect(400);
        expect(res.body).toMatchObject({ code: 'validation_failed' });
        const details = res.body.details as { field: string; message: string }[];
        expect(details.length).toBeGreaterThan(0);
        for (const detail of details) expect(detail.field).toBe('limit');
      }
      const res = await t
        .http()
        .get('/v1/accounts')
        .set(adminAuth)
        .query({ cursor: 'not-a-cursor' })
        .expect(400);
      expect(res.body).toMatchObject({ code: 'invalid_cursor', details: [{ field: 'cursor' }] });
    });

    it('is for admins only', async () => {
      await t.http().get('/v1/accounts').expect(401);
      for (const role of [AccountRole.Organiser, AccountRole.Moderator]) {
        const account = await createAccount(t, role);
        const res = await t.http().get('/v1/accounts').set(account.auth).expect(403);
        expect(res.body.code).toBe('forbidden');
      }
      const admin = await createAccount(t, AccountRole.Admin);
      await t.http().get('/v1/accounts').set(admin.auth).expect(200);
    });
  });

  describe('POST /v1/accounts/:id/token', () => {
    it('gives a new token, shown once and stored only as its hash; the old one stops at once', async () => {
      const account = await createAccount(t, AccountRole.Organiser);
      const res = await t
        .http()
        .post(`/v1/accounts/${account.id}/token`)
        .set(adminAuth)
        .expect(200);
      expect(res.body).toEqual({ token: expect.any(String) });
      expect(res.headers['cache-control']).toBe('no-store');
      const token = res.body.token as string;
      expect(token).not.toBe(account.token);
      expect(Buffer.from(token, 'base64url').length).toBe(32);

      const old = await t.http().get('/v1/me').set(account.auth).expect(401);
      expectError(old, 401, 'unauthorized');
      const me = await t
        .http()
        .get('/v1/me')
        .set({ Authorization: `Bearer ${token}` })
        .expect(200);
      expect(me.body.id).toBe(account.id);

      const { rows } = await t.db.query<{ token_hash: Buffer }>(
        'SELECT token_hash FROM accounts WHERE id = $1',
        [account.id],
      );
      expect(rows[0].token_hash.equals(hashToken(token))).toBe(true);
      const list = await t.http().get('/v1/accounts').query({ limit: 100 }).set(adminAuth);
      expect(JSON.stringify(list.body)).not.toContain(token);

      // Issuing again replaces it again: a token is never shown twice.
      const again = await t
        .http()
        .post(`/v1/accounts/${account.id}/token`)
        .set(adminAuth)
        .expect(200);
      expect(again.body.token).not.toBe(token);
      await t
        .http()
        .get('/v1/me')
        .set({ Authorization: `Bearer ${token}` })
        .expect(401);
    });

    it('answers 404 for an unknown account and for an id that is not a UUID', async () => {
      for (const id of [UNKNOWN_ID, 'not-a-uuid', '1']) {
        const res = await t.http().post(`/v1/accounts/${id}/token`).set(adminAuth);
        expectError(res, 404, 'not_found');
        expect(res.body.message).toBe('Account not found');
      }
    });

    it('refuses the bootstrap admin, whose token is ADMIN_TOKEN, with 409', async () => {
      const res = await t.http().post(`/v1/accounts/${BOOTSTRAP_ADMIN_ID}/token`).set(adminAuth);
      expectError(res, 409, 'invalid_transition');
      expect(res.body.message).toMatch(/ADMIN_TOKEN/);
      await t.http().get('/v1/me').set(adminAuth).expect(200);
    });

    it('refuses a deactivated account with 409 account_deactivated', async () => {
      const account = await createAccount(t, AccountRole.Organiser);
      await t.db.query('UPDATE accounts SET deactivated_at = now() WHERE id = $1', [account.id]);
      const res = await t.http().post(`/v1/accounts/${account.id}/token`).set(adminAuth);
      expectError(res, 409, 'account_deactivated');
      const { rows } = await t.db.query<{ token_hash: Buffer }>(
        'SELECT token_hash FROM accounts WHERE id = $1',
        [account.id],
      );
      expect(rows[0].token_hash.equals(hashToken(account.token))).toBe(true);
    });

    it('is for admins only, and another admin may issue one', async () => {
      const target = await createAccount(t, AccountRole.Organiser);
      await t.http().post(`/v1/accounts/${target.id}/token`).expect(401);
      for (const role of [AccountRole.Organiser, AccountRole.Moderator]) {
        const caller = await createAccount(t, role);
        expectError(
          await t.http().post(`/v1/accounts/${target.id}/token`).set(caller.auth),
          403,
          'forbidden',
        );
      }
      await t.http().get('/v1/me').set(target.auth).expect(200);
      const admin = await createAccount(t, AccountRole.Admin);
      await t.http().post(`/v1/accounts/${target.id}/token`).set(admin.auth).expect(200);
      // An admin may also replace their own token; the old one stops at once.
      const own = await t.http().post(`/v1/accounts/${admin.id}/token`).set(admin.auth).expect(200);
      await t.http().get('/v1/me').set(admin.auth).expect(401);
      await t
        .http()
        .get('/v1/me')
        .set({ Authorization: `Bearer ${own.body.token}` })
        .expect(200);
    });
  });

  describe('POST /v1/accounts/:id/deactivate', () => {
    const deactivate = (id: string, auth: Record<string, string> = adminAuth) =>
      t.http().post(`/v1/accounts/${id}/deactivate`).set(auth);

    it('answers the account; its token stops everywhere at once; its petitions and decisions stay', async () => {
      const organiser = await createAccount(t, AccountRole.Organiser);
      const moderator = await createAccount(t, AccountRole.Moderator);
      const petition = await openPetition(t, organiser, moderator);
      const draft = await createPetition(t, organiser);

      const res = await deactivate(organiser.id).expect(200);
      expect(res.body).toEqual({
        id: organiser.id,
        email: organiser.email,
        displayName: 'Test organiser',
        role: 'organiser',
        createdAt: expect.stringMatching(ISO),
        deactivatedAt: expect.stringMatching(ISO),
      });
      expect(Date.now() - Date.parse(res.body.deactivatedAt)).toBeLessThan(60_000);

      // 401 on every kind of endpoint, public ones included: a sent token must be valid.
      for (const call of [
        t.http().get('/v1/me'),
        t.http().get('/v1/petitions/mine'),
        t.http().get('/v1/petitions'),
        t.http().get(`/v1/petitions/${petition.id}`),
        t.http().post(`/v1/petitions/${draft.id}/submit`),
      ]) {
        expectError(await call.set(organiser.auth), 401, 'unauthorized');
      }
      const { rows } = await t.db.query<{ token_hash: Buffer | null }>(
        'SELECT token_hash FROM accounts WHERE id = $1',
        [organiser.id],
      );
      expect(rows[0].token_hash).toBeNull();

      await deactivate(moderator.id).expect(200);
      expectError(
        await t.http().get('/v1/moderation/petitions').set(moderator.auth),
        401,
        'unauthorized',
      );
      const shown = await t.http().get(`/v1/petitions/${petition.id}`).expect(200);
      expect(shown.body).toMatchObject({ status: 'open', organiserId: organiser.id });
      const kept = await t.http().get(`/v1/petitions/${draft.id}`).set(adminAuth).expect(200);
      expect(kept.body).toMatchObject({ status: 'draft', organiserId: organiser.id });
      const events = await t.db.query<{ actor_id: string; to_status: string }>(
        'SELECT actor_id, to_status FROM petition_events WHERE petition_id = $1 ORDER BY id',
        [petition.id],
      );
      expect(events.rows).toEqual([
        { actor_id: organiser.id, to_status: 'submitted' },
        { actor_id: moderator.id, to_status: 'open' },
      ]);

      const list = await t.http().get('/v1/accounts').query({ limit: 100 }).set(adminAuth);
      const listed = (list.body.items as AccountItem[]).find((item) => item.id === organiser.id);
      expect(listed).toEqual(res.body);

      // No new token for it either.
      expectError(
        await t.http().post(`/v1/accounts/${organiser.id}/token`).set(adminAuth),
        409,
        'account_deactivated',
      );
    });

    it('is fine twice: 200 with the same result, the first time kept', async () => {
      const account = await createAccount(t, AccountRole.Moderator);
      const first = await deactivate(account.id).expect(200);
      const second = await deactivate(account.id).expect(200);
      expect(second.body).toEqual(first.body);
      expect(second.body.deactivatedAt).toEqual(expect.stringMatching(ISO));
    });

    it('refuses the bootstrap admin with 409 and leaves ADMIN_TOKEN working', async () => {
      const res = await deactivate(BOOTSTRAP_ADMIN_ID);
      expectError(res, 409, 'invalid_transition');
      expect(res.body.message).toMatch(/bootstrap admin/);
      const admin = await createAccount(t, AccountRole.Admin);
      expectError(await deactivate(BOOTSTRAP_ADMIN_ID, admin.auth), 409, 'invalid_transition');
      await t.http().get('/v1/me').set(adminAuth).expect(200);
    });

    it('refuses an admin deactivating themself, however the id is written, with 409', async () => {
      const admin = await createAccount(t, AccountRole.Admin);
      for (const id of [admin.id, admin.id.toUpperCase()]) {
        const res = await deactivate(id, admin.auth);
        expectError(res, 409, 'invalid_transition');
        expect(res.body.message).toMatch(/your own account/);
      }
      await t.http().get('/v1/me').set(admin.auth).expect(200);
      // Another admin may.
      await deactivate(admin.id).expect(200);
      await t.http().get('/v1/me').set(admin.auth).expect(401);
    });

    it('answers 404 for an unknown account and for an id that is not a UUID', async () => {
      for (const id of [UNKNOWN_ID, 'not-a-uuid', `${UNKNOWN_ID}x`]) {
        const res = await deactivate(id);
        expectError(res, 404, 'not_found');
        expect(res.body.message).toBe('Account not found');
      }
    });

    it('is for admins only', async () => {
      const target = await createAccount(t, AccountRole.Organiser);
      await t.http().post(`/v1/accounts/${target.id}/deactivate`).expect(401);
      for (const role of [AccountRole.Organiser, AccountRole.Moderator]) {
        const caller = await createAccount(t, role);
        expectError(await deactivate(target.id, caller.auth), 403, 'forbidden');
      }
      await t.http().get('/v1/me').set(target.auth).expect(200);
    });

    describe('AccountLifecycle.onDeactivated', () => {
      let lifecycle: AccountLifecycle;
      let unsubscribe: (() => void) | undefined;
      beforeAll(() => {
        lifecycle = t.app.get(AccountLifecycle);
      });
      afterEach(() => {
        unsubscribe?.();
        unsubscribe = undefined;
      });

      it('awaits each listener inside the deactivation, with its transaction, before answering', async () => {
        const account = await createAccount(t, AccountRole.Organiser);
        const calls: Array<{
          accountId: string;
          inside: unknown;
          outside: unknown;
          done: boolean;
        }> = [];
        unsubscribe = lifecycle.onDeactivated(async (accountId: string, tx: EntityManager) => {
          const call = {
            accountId,
            inside: null as unknown,
            outside: null as unknown,
            done: false,
          };
          calls.push(call);
          const [row] = (await tx.query('SELECT deactivated_at FROM accounts WHERE id = $1', [
            accountId,
          ])) as { deactivated_at: Date | null }[];
          call.inside = row.deactivated_at;
          const other = await t.db.query<{ deactivated_at: Date | null }>(
            'SELECT deactivated_at FROM accounts WHERE id = $1',
            [accountId],
          );
          call.outside = other.rows[0].deactivated_at;
          await new Promise((resolve) => setTimeout(resolve, 50));
          call.done = true;
        });

        await deactivate(account.id).expect(200);
        expect(calls).toEqual([
          // Inside its transaction the row is deactivated; outside, not yet committed.
          { accountId: account.id, inside: expect.any(Date), outside: null, done: true },
        ]);

        // A repeat runs the listeners again, so whatever slipped in meanwhile is ended too.
        await deactivate(account.id).expect(200);
        expect(calls.map((call) => call.accountId)).toEqual([account.id, account.id]);

        // Refused deactivations call nobody.
        await deactivate(BOOTSTRAP_ADMIN_ID).expect(409);
        await deactivate(UNKNOWN_ID).expect(404);
        expect(calls).toHaveLength(2);
      });

      it('undoes the deactivation when a listener fails, so a retry can finish it', async () => {
        const account: TestAccount = await createAccount(t, AccountRole.Moderator);
        let failures = 1;
        const seen: string[] = [];
        unsubscribe = lifecycle.onDeactivated(async (accountId) => {
          seen.push(accountId);
          if (failures-- > 0) throw new Error('the session store is away');
        });

        const failed = await deactivate(account.id);
        expect(failed.status).toBe(500);
        expect(failed.body).toMatchObject({ code: 'internal_error', message: 'Internal error' });
        expect(JSON.stringify(failed.body)).not.toContain('session store');
        await t.http().get('/v1/me').set(account.auth).expect(200);

        const retried = await deactivate(account.id).expect(200);
        expect(retried.body.deactivatedAt).toEqual(expect.stringMatching(ISO));
        expect(seen).toEqual([account.id, account.id]);
        await t.http().get('/v1/me').set(account.auth).expect(401);
      });

      it('stops calling a listener once it unsubscribes', async () => {
        const account = await createAccount(t, AccountRole.Organiser);
        const seen: string[] = [];
        const stop = lifecycle.onDeactivated(async (accountId) => {
          seen.push(accountId);
        });
        stop();
        await deactivate(account.id).expect(200);
        expect(seen).toEqual([]);
      });
    });
  });

  it('never writes a token to the log', async () => {
    const account = await createAccount(t, AccountRole.Organiser);
    const issued = await t.http().post(`/v1/accounts/${account.id}/token`).set(adminAuth);
    await t
      .http()
      .get('/v1/me')
      .set({ Authorization: `Bearer ${issued.body.token}` })
      .expect(200);
    await t.http().post(`/v1/accounts/${account.id}/deactivate`).set(adminAuth).expect(200);
    await t
      .http()
      .get('/v1/me')
      .set({ Authorization: `Bearer ${issued.body.token}` })
      .expect(401);
    expect(t.logs.length).toBeGreaterThan(0);
    for (const secret of [ADMIN_TOKEN, account.token, issued.body.token as string]) {
      for (const line of t.logs) expect(line).not.toContain(secret);
    }
  });
});
