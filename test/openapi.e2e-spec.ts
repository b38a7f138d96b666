import { startTestApp, type TestApp } from './support/test-app.js';

/** Every endpoint of the contract this service implements must be in the OpenAPI document. */
const CONTRACT = [
  'post /v1/accounts',
  'get /v1/accounts',
  'post /v1/accounts/{id}/token',
  'post /v1/accounts/{id}/deactivate',
  'get /v1/me',
  'post /v1/petitions',
  'get /v1/petitions',
  'get /v1/petitions/mine',
  'get /v1/petitions/{idOrSlug}',
  'patch /v1/petitions/{idOrSlug}',
  'post /v1/petitions/{idOrSlug}/submit',
  'post /v1/petitions/{idOrSlug}/close',
  'get /v1/moderation/petitions',
  'post /v1/moderation/petitions/{id}/decision',
  'post /v1/petitions/{idOrSlug}/signatures',
  'post /v1/petitions/{idOrSlug}/signatures/import',
  'get /v1/petitions/{idOrSlug}/signatures',
  'get /v1/petitions/{idOrSlug}/signatures.csv',
  'get /v1/petitions/{idOrSlug}/counts',
  'get /v1/petitions/{idOrSlug}/counts/districts',
  'post /v1/signatures/confirm',
  'post /v1/signatures/withdraw',
  'post /v1/signatures/lookup',
  'post /v1/registers',
  'put /v1/registers/{id}/entries',
  'get /v1/registers/{id}',
  'get /v1/registers/{id}/entries',
  'get /v1/moderation/queue',
  'post /v1/moderation/claims',
  'delete /v1/moderation/claims/{signatureId}',
  'post /v1/moderation/signatures/{id}/decision',
  'get /v1/moderation/reason-codes',
  'post /v1/moderation/invalidations',
  'post /v1/moderation/invalidations/{id}/approve',
  'post /v1/moderation/invalidations/{id}/cancel',
  'get /v1/moderation/invalidations/{id}',
  'get /v1/signatures/{id}/events',
  'post /v1/moderation/blocks',
  'get /v1/moderation/blocks',
  'delete /v1/moderation/blocks/{id}',
  'get /v1/moderation/alerts',
  'post /v1/moderation/alerts/{id}/acknowledge',
  'get /health',
  'get /metrics',
];

describe('OpenAPI', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves an OpenAPI 3 document listing every contract endpoint with its responses', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    const operations = Object.entries(
      res.body.paths as Record<string, Record<string, { responses: object }>>,
    ).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`));
    expect(operations).toEqual(expect.arrayContaining(CONTRACT));
    const create = res.body.paths['/v1/petitions'].post;
    expect(Object.keys(create.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403']),
    );
    expect(res.body.components.schemas.CreatePetitionDto.properties.title).toMatchObject({
      minLength: 5,
      maxLength: 200,
    });
    expect(res.body.components.schemas.ErrorResponse).toBeDefined();
  });

  it('documents the account endpoints with every status they answer', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    const paths = res.body.paths as Record<
      string,
      Record<
        string,
        { responses: object; description?: string; parameters?: Record<string, unknown>[] }
      >
    >;
    const statuses = (path: string, method: string) =>
      Object.keys(paths[path][method].responses).sort();
    expect(statuses('/v1/accounts', 'get')).toEqual(['200', '400', '401', '403', '431', '503']);
    expect(paths['/v1/accounts'].get.parameters?.map((p) => p.name as string).sort()).toEqual([
      'cursor',
      'limit',
    ]);
    expect(paths['/v1/accounts'].get.description).toMatch(/bootstrap admin/);
    for (const action of ['token', 'deactivate']) {
      expect(paths[`/v1/accounts/{id}/${action}`].post.parameters).toEqual([
        expect.objectContaining({
          name: 'id',
          in: 'path',
          schema: expect.objectContaining({ format: 'uuid' }),
        }),
      ]);
      expect(statuses(`/v1/accounts/{id}/${action}`, 'post')).toEqual([
        '200',
        '400',
        '401',
        '403',
        '404',
        '409',
        '413',
        '415',
        '431',
        '503',
      ]);
    }
    const schemas = res.body.components.schemas;
    expect(Object.keys(schemas.AccountDetailsResponse.properties)).toEqual(
      expect.arrayContaining(['id', 'email', 'displayName', 'role', 'createdAt', 'deactivatedAt']),
    );
    expect(JSON.stringify(schemas.AccountDetailsResponse)).not.toMatch(/token/i);
    expect(Object.keys(schemas.AccountTokenResponse.properties)).toEqual(['token']);
  });

  it('documents blocks and alerts with their schemas and every status they answer', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    const paths = res.body.paths as Record<string, Record<string, { responses: object }>>;
    // Without the statuses every operation documents (checked below, for all of them).
    const everywhere = ['413', '415', '431', '503'];
    const statuses = (path: string, method: string) =>
      Object.keys(paths[path][method].responses)
        .filter((status) => !everywhere.includes(status))
        .sort();
    expect(statuses('/v1/moderation/blocks', 'post')).toEqual(['201', '400', '401', '403', '404']);
    expect(statuses('/v1/moderation/blocks', 'get')).toEqual(['200', '400', '401', '403']);
    expect(statuses('/v1/moderation/blocks/{id}', 'get')).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
    ]);
    expect(statuses('/v1/moderation/blocks/{id}', 'delete')).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
    ]);
    expect(statuses('/v1/moderation/alerts', 'get')).toEqual(['200', '400', '401', '403']);
    expect(statuses('/v1/moderation/alerts/{id}', 'get')).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
    ]);
    expect(statuses('/v1/moderation/alerts/{id}/acknowledge', 'post')).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
    ]);
    const schemas = res.body.components.schemas;
    expect(schemas.CreateBlockDto.required.sort()).toEqual(['action', 'kind', 'value']);
    expect(schemas.CreateBlockDto.properties.kind.enum).toEqual(['email_domain', 'source']);
    expect(schemas.CreateBlockDto.properties.reasonCode.enum).not.toContain('signer_request');
    expect(Object.keys(schemas.AlertResponse.properties)).toEqual(
      expect.arrayContaining([
        'id',
        'petitionId',
        'kind',
        'value',
        'count',
        'windowStart',
        'raisedAt',
        'acknowledgedBy',
      ]),
    );
    expect(JSON.stringify(schemas.AlertResponse)).not.toMatch(/sourceIndex|"ip"/i);
  });

  describe('tells the truth about every operation', () => {
    type Operation = {
      operationId: string;
      security?: unknown[];
      parameters?: Array<{ in: string }>;
      requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
      responses: Record<
        string,
        { description?: string; content?: Record<string, { schema: Record<string, unknown> }> }
      >;
    };
    let doc: {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, Record<string, unknown>>; securitySchemes: object };
    };
    const operations = () =>
      Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, op]) => ({ key: `${method} ${path}`, method, op })),
      );
    const codesOf = (op: Operation, status: string) =>
      (/^code: ([a-z_ |]+)/.exec(op.responses[status]?.description ?? '')?.[1] ?? '').split(' | ');

    beforeAll(async () => {
      doc = (await t.http().get('/docs-json').expect(200)).body;
    });

    it('documents 431 and 503 everywhere, and 400, 413 and 415 wherever a body can be sent', () => {
      for (const { key, method, op } of operations()) {
        expect({ key, codes: codesOf(op, '431') }).toEqual({
          key,
          codes: ['request_header_fields_too_large'],
        });
        expect({ key, has503: '503' in op.responses }).toEqual({ key, has503: true });
        if (['post', 'put', 'patch', 'delete'].includes(method)) {
          expect({ key, codes: codesOf(op, '400') }).toEqual({
            key,
            codes: expect.arrayContaining(['malformed_json', 'validation_failed']),
          });
          expect({ key, codes: [...codesOf(op, '413'), ...codesOf(op, '415')] }).toEqual({
            key,
            codes: ['payload_too_large', 'unsupported_media_type'],
          });
        }
        if (op.parameters?.some((p) => p.in === 'path')) {
          expect({ key, codes: codesOf(op, '404') }).toEqual({
            key,
            codes: expect.arrayContaining(['not_found']),
          });
        }
      }
    });

    it('puts no padlock on public operations, documents their 401, and requires the token elsewhere', () => {
      const open = [
        'get /v1/petitions',
        'get /v1/petitions/{idOrSlug}',
        'post /v1/petitions/{idOrSlug}/signatures',
        'get /v1/petitions/{idOrSlug}/counts',
        'post /v1/signatures/confirm',
        'get /health',
      ];
      const closed = ['post /v1/petitions', 'get /v1/me', 'put /v1/registers/{id}/entries'];
      for (const { key, op } of operations()) {
        const expected = open.includes(key)
          ? []
          : closed.includes(key)
            ? [{ bearer: [] }]
            : expect.anything();
        expect({ key, security: op.security }).toEqual({ key, security: expected });
        expect([[], [{ bearer: [] }]]).toContainEqual(op.security);
        expect({ key, codes: codesOf(op, '401') }).toEqual({
          key,
          codes: expect.arrayContaining(['unauthorized']),
        });
      }
      expect(doc.components.securitySchemes).toEqual({
        bearer: { type: 'http', scheme: 'bearer', description: expect.any(String) },
      });
    });

    it('types every field, and closes request bodies to unknown fields', () => {
      for (const [name, schema] of Object.entries(doc.components.schemas)) {
        for (const [field, property] of Object.entries(
          (schema.properties ?? {}) as Record<string, Record<string, unknown>>,
        )) {
          const untyped =
            property.type === 'object' && !property.properties && !property.additionalProperties;
          expect({ field: `${name}.${field}`, untyped }).toEqual({
            field: `${name}.${field}`,
            untyped: false,
          });
        }
      }
      const create = doc.components.schemas.CreatePetitionDto as {
        properties: Record<string, unknown>;
        additionalProperties: unknown;
      };
      expect(create.additionalProperties).toBe(false);
      expect(create.properties.signatureGoal).toMatchObject({ type: 'integer', nullable: true });
      expect(create.properties.closesAt).toMatchObject({ type: 'string', format: 'date-time' });
      expect(create.properties.registerId).toMatchObject({ type: 'string', format: 'uuid' });
      expect(
        (doc.components.schemas.InvalidationCriteriaDto as { additionalProperties: unknown })
          .additionalProperties,
      ).toBe(false);
    });

    it('documents the CSV export as CSV and its errors as JSON, and CSV uploads as text', () => {
      const csv = doc.paths['/v1/petitions/{idOrSlug}/signatures.csv'].get.responses;
      expect(Object.keys(csv['200'].content ?? {})).toEqual(['text/csv']);
      for (const status of ['401', '403', '404']) {
        expect(Object.keys(csv[status].content ?? {})).toEqual(['application/json']);
      }
      const upload = doc.paths['/v1/petitions/{idOrSlug}/signatures/import'].post.requestBody;
      expect(upload?.content['text/csv'].schema).toMatchObject({ type: 'string' });
      expect(upload?.content['application/json'].schema).toEqual({
        $ref: '#/components/schemas/ImportBodyDto',
      });
    });
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await t.http().get('/docs').redirects(1);
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger');
  });
});
