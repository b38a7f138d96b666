import { startTestApp, type TestApp } from './support/test-app.js';

/** Every endpoint of the contract this service implements must be in the OpenAPI document. */
const CONTRACT = [
  'post /v1/accounts',
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

  it('serves Swagger UI at /docs', async () => {
    const res = await t.http().get('/docs').redirects(1);
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger');
  });
});
