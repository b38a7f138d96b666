import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiProperty, ApiResponse } from '@nestjs/swagger';
import type { ErrorCode } from '../errors/error-code.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';

/** A row an upload refused. */
export class RowErrorResponse {
  @ApiProperty({ description: '1-based among the data rows; a CSV header row is not counted' })
  row!: number;
  @ApiProperty({ example: 'validation_failed' }) code!: string;
  @ApiProperty() message!: string;
}

/**
 * OpenAPI for an upload endpoint: JSON (`body` describes it) or `text/csv`, its success
 * response, and the errors every upload can give plus `extraErrors`.
 */
export function ApiUpload(
  body: () => unknown,
  success: { status: number; type: () => unknown },
  ...extraErrors: ErrorCode[]
): MethodDecorator {
  return applyDecorators(
    ApiConsumes('application/json', 'text/csv'),
    ApiBody({ type: body() as never }),
    ApiResponse({ status: success.status, type: success.type() as never }),
    ApiErrors(
      'validation_failed',
      'malformed_json',
      'unauthorized',
      'forbidden',
      'not_found',
      'payload_too_large',
      'unsupported_media_type',
      ...extraErrors,
    ),
  );
}
