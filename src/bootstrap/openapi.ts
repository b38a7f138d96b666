import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ErrorResponse } from '../common/openapi/api-errors.decorator.js';

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
        'Unknown body fields are rejected; strings are trimmed.',
      ].join('\n'),
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'An account token, or ADMIN_TOKEN',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponse] });
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
