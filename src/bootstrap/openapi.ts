import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ErrorResponse } from '../common/openapi/api-errors.decorator.js';
import { BEARER_SCHEME, documentSharedResponses, publicOperations } from './openapi-responses.js';

/** Swagger UI at /docs and the OpenAPI 3 document at /docs-json, generated from the code. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Countersign API')
    .setDescription(
      [
        'Petition signature tracking: every signature from receipt to a decision, with honest counts.',
        '',
        'Errors always have the body `{statusCode, code, message, details}`; `code` is a stable snake_case string.',
        'Lists are cursor-paginated: `?limit=` (1..100, default 20) and `?cursor=`, answered as `{items, nextCursor}`.',
        'Unknown body fields are rejected; strings are trimmed; an optional field may be left out, and is `null` only where the schema says nullable.',
        'Bodies are UTF-8 JSON nested at most 32 levels deep; text may not hold U+0000 or a lone UTF-16 surrogate.',
        'Dates are RFC 3339 date-times with a time zone. Headers, the URL included, take at most 16 KB (else 431); a path segment longer than 100 characters names nothing (404).',
      ].join('\n'),
    )
    .setVersion('1')
    // An opaque token (random, stored as a hash), not a JWT.
    .addSecurity(BEARER_SCHEME, {
      type: 'http',
      scheme: 'bearer',
      description: 'An account token, or ADMIN_TOKEN',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponse] });
  documentSharedResponses(document, publicOperations(app));
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
