import { AccountRole } from '../src/accounts/account-role.js';
import { createAccount, petitionInput, type TestAccount } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Hostile and malformed requests: always a 4xx with the contract's error body, never a 500. */
describe('bad input', () => {
  let t: TestApp;
  let organiser: TestAccount;

  beforeAll(async () => {
    t = await startTestApp();
    organiser = await createAccount(t, AccountRole.Organiser);
  });
  afterAll(async () => {
    await t.close();
  });

  const expectErrorBody = (body: unknown, statusCode: number, code: string): void => {
    expect(Object.keys(body as object).sort()).toEqual([
      'code',
      'details',
      'message',
      'statusCode',
    ]);
    expect(body).toMatchObject({
      statusCode,
      code,
      message: expect.any(String),
      details: expect.any(Array),
    });
  };

  const post = (body: string | Buffer, contentType = 'application/json') =>
    t.http().post('/v1/petitions').set(organiser.auth).set('Content-Type', contentType).send(body);

  it.each([
    ['truncated JSON', '{"title":'],
    ['trailing garbage', '{"title":"abc"} x'],
    ['single quotes', "{'title':'abc'}"],
    ['a lone string', '"just a string"'],
  ])('answers 400 malformed_json for %s', async (_what, body) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(['malformed_json', 'validation_failed']).toContain(res.body.code);
    expectErrorBody(res.body, 400, res.body.code);
  });

  it('never quotes a malformed body back, which could hold a signer’s email', async () => {
    const res = await post('anna.testova@example.org');
    expectErrorBody(res.body, 400, 'malformed_json');
    expect(JSON.stringify(res.body)).not.toContain('anna.testova');
  });

  it('refuses a JSON array or scalar where an object is expected', async () => {
    for (const body of ['[1,2]', '42', 'null', 'true']) {
      const res = await post(body);
      expectErrorBody(res.body, 400, 'validation_failed');
    }
  });

  it('refuses prototype-poisoning keys', async () => {
    for (const body of ['{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}']) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expectErrorBody(res.body, 400, res.body.code);
    }
  });

  it('answers 413 for a body over the limit', async () => {
    const huge = JSON.stringify(petitionInput({ body: 'a'.repeat(1_100_000) }));
    const res = await post(huge);
    expectErrorBody(res.body, 413, 'payload_too_large');
  });

  it('answers 415 for a content type the endpoint does not take', async () => {
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      const res = await post('title=abc', type);
      expectErrorBody(res.body, 415, 'unsupported_media_type');
    }
  });

  it('names each unknown or wrong field', async () => {
    const res = await t
      .http()
      .post('/v1/petitions')
      .set(organiser.auth)
      .send({
        ...petitionInput(),
        title: 42,
        isAdmin: true,
        signatureGoal: -1,
        eligibility: 'loose',
      });
    expectErrorBody(res.body, 400, 'validation_failed');
    const fields = (res.body.details as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining(['title', 'isAdmin', 'signatureGoal', 'eligibility']),
    );
    for (const detail of res.body.details)
      expect(detail).toEqual({ field: expect.any(String), message: expect.any(String) });
  });

  it('trims strings and rejects ones that are empty after trimming', async () => {
    const res = await t
      .http()
      .post('/v1/petitions')
      .set(organiser.auth)
      .send(petitionInput({ addressee: '   ', title: '   Long enough title   ' }));
    expectErrorBody(res.body, 400, 'validation_failed');
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['addressee']);

    const ok = await t
      .http()
      .post('/v1/petitions')
      .set(organiser.auth)
      .send(petitionInput({ title: '  Long enough title  ' }));
    expect(ok.status).toBe(201);
    expect(ok.body.title).toBe('Long enough title');
  });

  it('answers 404 for unknown routes and 400 for a malformed URL, with the error body', async () => {
    expectErrorBody((await t.http().get('/v1/no-such-thing')).body, 404, 'not_found');
    expectErrorBody((await t.http().get('/v1/petitions/%E0%A4%A')).body, 400, 'validation_failed');
    const decision = await t
      .http()
      .post('/v1/moderation/petitions/not-a-uuid/decision')
      .set(organiser.auth)
      .send({ decision: 'approve' });
    // Role is checked before the id: an organiser may not reach moderation at all.
    expectErrorBody(decision.body, 403, 'forbidden');
  });

  it('does not fall over on odd headers and query strings', async () => {
    const weird = await t.http().get('/v1/petitions?limit=abc&cursor[]=1');
    expectErrorBody(weird.body, 400, weird.body.code);
    const badAuth = await t
      .http()
      .get('/v1/me')
      .set('Authorization', `Bearer ${'x'.repeat(5000)}`);
    expectErrorBody(badAuth.body, 401, 'unauthorized');
  });

  it('gives every response a request id, and echoes a sane one it was sent', async () => {
    const res = await t.http().get('/v1/petitions').set('X-Request-Id', 'trace-abc-12345678');
    expect(res.headers['x-request-id']).toBe('trace-abc-12345678');
    const generated = await t.http().get('/v1/petitions').set('X-Request-Id', 'bad id with spaces');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an empty POST body on an action endpoint as no body', async () => {
    const petition = await t
      .http()
      .post('/v1/petitions')
      .set(organiser.auth)
      .send(petitionInput())
      .expect(201);
    const res = await t
      .http()
      .post(`/v1/petitions/${petition.body.id}/submit`)
      .set(organiser.auth)
      .set('Content-Type', 'application/json')
      .send('');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('submitted');
  });
});
