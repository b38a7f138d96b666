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
    expect(statuses('/v1/accounts', 'get')).toEqual(['200', '400', '401', '403']);
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
        '401',
        '403',
        '404',
        '409',
      ]);
    }
    const schemas = res.body.components.schemas;
    expect(Object.keys(schemas.AccountDetailsResponse.properties)).toEqual(
      expect.arrayContaining(['id', 'email', 'displayName', 'role', 'createdAt', 'deactivatedAt']),
    );
    expect(JSON.stringify(schemas.AccountDetailsResponse)).not.toMatch(/token/i);
    expect(Object.keys(schemas.AccountTokenResponse.properties)).toEqual(['token']);
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await t.http().get('/docs').redirects(1);
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger');
  });
});
