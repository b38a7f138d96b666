import { request as httpRequest, type IncomingMessage } from 'node:http';
import { AccountRole } from '../src/accounts/account-role.js';
import {
  adminAuth,
  createAccount,
  openPetition,
  petitionInput,
  type PetitionBody,
  type TestAccount,
} from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

/**
 * The five causes of the 117 server errors a probe found (issue 12), each at its root, plus the
 * upload rule: always a clear 4xx with the contract's body, never a 500.
 */
describe('hostile input', () => {
  let t: TestApp;
  let organiser: TestAccount;
  let moderator: TestAccount;
  let petition: PetitionBody;

  beforeAll(async () => {
    t = await startTestApp({ captureLogs: true });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
    petition = await openPetition(t, organiser, moderator, { requireEmailConfirmation: false });
  });
  afterAll(async () => {
    await t.close();
  });

  /** The contract's error body, exactly: no Fastify fields, no requestId on a 4xx. */
  const expectErrorBody = (
    res: { status: number; body: unknown },
    statusCode: number,
    code: string,
  ): void => {
    expect({ status: res.status, code: (res.body as { code?: unknown }).code }).toEqual({
      status: statusCode,
      code,
    });
    expect(Object.keys(res.body as object).sort()).toEqual([
      'code',
      'details',
      'message',
      'statusCode',
    ]);
    expect(res.body).toMatchObject({ statusCode, message: expect.any(String) });
    expect(Array.isArray((res.body as { details: unknown }).details)).toBe(true);
  };

  const postRaw = (path: string, body: string, auth?: { Authorization: string }) => {
    const req = t.http().post(path).set('Content-Type', 'application/json');
    return (auth ? req.set(auth) : req).send(body);
  };

  /** A request by hand, to send bytes as they are and to see exactly what the server writes. */
  const raw = (method: string, path: string, headers: Record<string, string> = {}, body?: Buffer) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: unknown }>(
      (resolve, reject) => {
        const req = httpRequest(new URL(path, t.url), { method, headers, agent: false }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }),
          );
        });
        req.on('error', reject);
        req.end(body);
      },
    );

  const signPath = () => `/v1/petitions/${petition.id}/signatures`;
  const fieldsOf = (res: { body: { details?: Array<{ field: string }> } }) =>
    (res.body.details ?? []).map((d) => d.field);

  describe('JSON nesting', () => {
    const arrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const objects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

    it('answers 400 malformed_json to 4,000 nested arrays on every kind of body, anonymously', async () => {
      for (const path of [
        signPath(),
        '/v1/signatures/confirm',
        '/v1/accounts',
        '/v1/moderation/invalidations',
      ]) {
        const res = await postRaw(path, arrays(4000));
        expectErrorBody(res, 400, 'malformed_json');
        expect(res.body.message).toBe('The body is nested deeper than 32 levels');
      }
      // An upload checks its caller first (see below), then the body the same way.
      const upload = `/v1/petitions/${petition.id}/signatures/import`;
      expectErrorBody(await postRaw(upload, arrays(4000)), 401, 'unauthorized');
      expectErrorBody(await postRaw(upload, arrays(4000), organiser.auth), 400, 'malformed_json');
    });

    it('takes 32 levels and refuses 33, objects as arrays', async () => {
      // 32 levels is JSON the parser accepts; the DTO then refuses the unknown field.
      expectErrorBody(await postRaw(signPath(), objects(32)), 400, 'validation_failed');
      expectErrorBody(await postRaw(signPath(), objects(33)), 400, 'malformed_json');
      expectErrorBody(await postRaw(signPath(), arrays(33)), 400, 'malformed_json');
    });

    it('does not count brackets inside strings', async () => {
      const res = await t
        .http()
        .post(signPath())
        .send({ fullName: `Anna ${'['.repeat(60)}`, email: 'anna.nesting@example.org' });
      expect(res.status).toBe(202);
    });
  });

  describe('long path parameters', () => {
    it('answers 404 not_found with a request id and an access-log line', async () => {
      const long = 'a'.repeat(101);
      for (const req of [
        t.http().get(`/v1/petitions/${long}`),
        t.http().post(`/v1/petitions/${long}/signatures`).send({}),
        t.http().get(`/v1/registers/${long}`).set(moderator.auth),
        t.http().get(`/v1/petitions/${'x'.repeat(5000)}/counts`),
      ]) {
        const res = await req;
        expectErrorBody(res, 404, 'not_found');
        expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      }
      const traced = await t
        .http()
        .get(`/v1/petitions/${long}`)
        .set('X-Request-Id', 'trace-long-param-1');
      expect(traced.headers['x-request-id']).toBe('trace-long-param-1');
      await waitFor('the access-log line', async () =>
        t.logs.find((line) => line.includes('trace-long-param-1') && line.includes('404'))
          ? true
          : undefined,
      );
    });

    it('keeps 100 characters routable, and answers a browser with a page', async () => {
      expectErrorBody(await t.http().get(`/v1/petitions/${'a'.repeat(100)}`), 404, 'not_found');
      const page = await t
        .http()
        .get(`/petitions/${'a'.repeat(101)}`)
        .set('Accept', 'text/html');
      expect(page.status).toBe(404);
      expect(page.headers['content-type']).toMatch(/text\/html/);
    });
  });

  describe('ill-formed Unicode', () => {
    it('refuses a lone surrogate in an email, naming the field', async () => {
      const res = await postRaw(
        signPath(),
        '{"fullName":"Anna Testova","email":"anna\\ud800@example.org"}',
      );
      expectErrorBody(res, 400, 'validation_failed');
      expect(fieldsOf(res)).toEqual(['email']);
    });

    it('refuses one in an invalidation criterion, before PostgreSQL sees it', async () => {
      const res = await postRaw(
        '/v1/moderation/invalidations',
        JSON.stringify({ petitionId: petition.id, reasonCode: 'fraudulent', dryRun: true }).replace(
          /}$/,
          ',"criteria":{"district":"North \\udfff"}}',
        ),
        moderator.auth,
      );
      expectErrorBody(res, 400, 'validation_failed');
      expect(fieldsOf(res)).toEqual(['criteria.district']);
    });

    it('refuses one in a key, in an array, and a NUL anywhere', async () => {
      expect(fieldsOf(await postRaw(signPath(), '{"fullName\\ud800":"A"}'))).toEqual([
        'fullName\ud800',
      ]);
      const rows = await postRaw(
        `/v1/petitions/${petition.id}/signatures/import`,
        '{"signatures":[{"fullName":"Anna"},{"fullName":"\\udbff"}]}',
        organiser.auth,
      );
      expectErrorBody(rows, 400, 'validation_failed');
      expect(fieldsOf(rows)).toEqual(['signatures[1].fullName']);
      const nul = await postRaw(signPath(), '{"fullName":"A\\u0000","email":"a@example.org"}');
      expectErrorBody(nul, 400, 'validation_failed');
      expect(fieldsOf(nul)).toEqual(['fullName']);
    });

    it('refuses bytes that are not UTF-8, in JSON and in CSV', async () => {
      const json = Buffer.concat([
        Buffer.from('{"fullName":"'),
        Buffer.from([0xed, 0xa0, 0x80]), // a surrogate encoded as if it were a character
        Buffer.from('","email":"anna@example.org"}'),
      ]);
      const type = (value: string) => ({ 'Content-Type': value });
      expectErrorBody(
        await raw('POST', signPath(), type('application/json'), json),
        400,
        'malformed_json',
      );
      const csv = Buffer.concat([
        Buffer.from('fullName\nAnna '),
        Buffer.from([0xff]),
        Buffer.from('\n'),
      ]);
      expectErrorBody(
        await raw(
          'POST',
          `/v1/petitions/${petition.id}/signatures/import`,
          { ...type('text/csv'), ...organiser.auth },
          csv,
        ),
        400,
        'validation_failed',
      );
    });

    it('refuses percent-encoded surrogates in the query string and the path', async () => {
      const query = await t.http().get('/v1/petitions?cursor=%ED%A0%80');
      expect(query.status).toBe(400);
      expectErrorBody(query, 400, query.body.code);
      expectErrorBody(await t.http().get('/v1/petitions/%ED%A0%80'), 400, 'validation_failed');
    });
  });

  describe('null where a value is due', () => {
    const invalidate = (criteria: Record<string, unknown>) =>
      t
        .http()
        .post('/v1/moderation/invalidations')
        .set(moderator.auth)
        .send({ petitionId: petition.id, reasonCode: 'fraudulent', dryRun: true, criteria });

    it.each([
      'fullNamePattern',
      'district',
      'emailDomain',
      'sameSourceAs',
      'createdFrom',
      'statuses',
    ])('refuses criteria.%s: null with 400 naming it', async (name) => {
      const res = await invalidate({ emailDomain: 'example.org', [name]: null });
      expectErrorBody(res, 400, 'validation_failed');
      expect(fieldsOf(res)).toEqual([`criteria.${name}`]);
    });

    it('refuses null for optional fields of other bodies', async () => {
      for (const [path, auth, body, field] of [
        [
          signPath(),
          undefined,
          { fullName: 'A', email: 'a@example.org', district: null },
          'district',
        ],
        [
          signPath(),
          undefined,
          { fullName: 'A', email: 'a@example.org', displayPublicly: null },
          'displayPublicly',
        ],
        [
          '/v1/petitions',
          organiser.auth,
          petitionInput({ requireEmailConfirmation: null }),
          'requireEmailConfirmation',
        ],
        ['/v1/petitions', organiser.auth, petitionInput({ eligibility: null }), 'eligibility'],
        ['/v1/registers', moderator.auth, { name: 'Register', description: null }, 'description'],
        ['/v1/moderation/claims', moderator.auth, { limit: 5, petitionId: null }, 'petitionId'],
      ] as const) {
        const req = t.http().post(path);
        const res = await (auth ? req.set(auth) : req).send(body);
        expectErrorBody(res, 400, 'validation_failed');
        expect(fieldsOf(res)).toEqual([field]);
      }
    });

    it('still takes null where the contract says it clears a value', async () => {
      const res = await t
        .http()
        .post('/v1/petitions')
        .set(organiser.auth)
        .send(petitionInput({ signatureGoal: null, closesAt: null, registerId: null }))
        .expect(201);
      expect(res.body).toMatchObject({ signatureGoal: null, closesAt: null, registerId: null });
    });
  });

  describe('dates', () => {
    const create = (closesAt: unknown) =>
      t.http().post('/v1/petitions').set(organiser.auth).send(petitionInput({ closesAt }));

    it.each([
      '+275760-09-13T00:00:00Z',
      '2030-02-30T00:00:00Z',
      '2030-02-30',
      '2030-01-01T00:00:00',
      '2030-01-01 10:00:00Z',
      '9999-12-31T23:00:00-05:00',
    ])('refuses closesAt %s with one message', async (closesAt) => {
      const res = await create(closesAt);
      expectErrorBody(res, 400, 'validation_failed');
      expect(res.body.details).toEqual([
        {
          field: 'closesAt',
          message:
            'closesAt must be an RFC 3339 date-time with a time zone, such as 2030-01-31T18:00:00Z',
        },
      ]);
    });

    it('takes an RFC 3339 date-time with an offset and echoes it in UTC', async () => {
      const res = await create('2031-02-28T10:00:00.5+01:00').expect(201);
      expect(res.body.closesAt).toBe('2031-02-28T09:00:00.500Z');
    });

    it('holds invalidation criteria to the same rule', async () => {
      const res = await t
        .http()
        .post('/v1/moderation/invalidations')
        .set(moderator.auth)
        .send({
          petitionId: petition.id,
          reasonCode: 'fraudulent',
          dryRun: true,
          criteria: { createdFrom: '2030-02-30T00:00:00Z' },
        });
      expectErrorBody(res, 400, 'validation_failed');
      expect(fieldsOf(res)).toEqual(['criteria.createdFrom']);
    });
  });

  describe('oversized headers', () => {
    it('answers a 20 KB query string with 431 and the contract body, and says it closes', async () => {
      for (const res of [
        await raw('GET', `/v1/petitions?cursor=${'a'.repeat(20_000)}`),
        await raw('GET', '/v1/petitions', { Cookie: `x=${'b'.repeat(20_000)}` }),
      ]) {
        expectErrorBody(res, 431, 'request_header_fields_too_large');
        expect(res.headers.connection).toBe('close');
        expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      }
    });

    it('keeps serving after it', async () => {
      await t.http().get('/v1/petitions').expect(200);
    });
  });

  describe('uploads', () => {
    const SIXTEEN_MB = 16 * 1024 * 1024;

    /**
     * Starts a 16 MB upload but sends only its first megabyte, then waits for the answer: a
     * server that read the body before checking the caller would wait for the other 15 MB.
     */
    const partialUpload = (path: string, method: string, auth?: { Authorization: string }) =>
      new Promise<{
        status: number;
        body: string;
        headers: IncomingMessage['headers'];
        sent: number;
      }>((resolve, reject) => {
        let sent = 0;
        const req = httpRequest(new URL(path, t.url), {
          method,
          agent: false,
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': String(SIXTEEN_MB),
            ...auth,
          },
        });
        req.on('response', (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body, headers: res.headers, sent });
            req.destroy();
          });
        });
        // The server may close while we still hold unsent bytes: that is the point.
        req.on('error', (error) => (sent < SIXTEEN_MB ? undefined : reject(error)));
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        for (let i = 0; i < 16; i++) {
          req.write(chunk);
          sent += chunk.length;
        }
        // Not a wait for something to happen: a deadline for an answer that must come.
        setTimeout(() => {
          req.destroy();
          reject(new Error('no answer while the body was still being sent'));
        }, 10_000).unref();
      });

    it.each([
      [
        'an anonymous import',
        'POST',
        () => `/v1/petitions/${petition.id}/signatures/import`,
        undefined,
        401,
        'unauthorized',
      ],
      [
        'a bad token',
        'POST',
        () => `/v1/petitions/${petition.id}/signatures/import`,
        () => ({ Authorization: 'Bearer not-a-token' }),
        401,
        'unauthorized',
      ],
      [
        'an organiser’s register upload',
        'PUT',
        () => `/v1/registers/${petition.id}/entries`,
        () => organiser.auth,
        403,
        'forbidden',
      ],
      [
        'an anonymous register upload',
        'PUT',
        () => `/v1/registers/${petition.id}/entries`,
        undefined,
        401,
        'unauthorized',
      ],
    ] as const)(
      'refuses %s before reading the 16 MB body',
      async (_what, method, path, auth, status, code) => {
        const res = await partialUpload(path(), method, auth?.());
        expect(res.sent).toBeLessThan(SIXTEEN_MB);
        expect(res.headers.connection).toBe('close');
        expectErrorBody({ status: res.status, body: JSON.parse(res.body) }, status, code);
      },
    );

    it('still takes an upload from a caller who may make it', async () => {
      const res = await t
        .http()
        .post(`/v1/petitions/${petition.id}/signatures/import`)
        .set(organiser.auth)
        .send({ signatures: [{ fullName: 'Paper Signer' }] })
        .expect(202);
      expect(res.body).toEqual({ accepted: 1, rejected: [] });
      const admin = await t
        .http()
        .post(`/v1/petitions/${petition.id}/signatures/import`)
        .set(adminAuth)
        .set('Content-Type', 'text/csv')
        .send('fullName\nAnother Paper Signer\n')
        .expect(202);
      expect(admin.body.accepted).toBe(1);
    });
  });
});
