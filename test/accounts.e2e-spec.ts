import { AccountRole } from '../src/accounts/account-role.js';
import { adminAuth, createAccount } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('accounts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
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
});
