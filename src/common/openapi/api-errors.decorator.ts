import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import { ERROR_STATUS, type ErrorCode } from '../errors/error-code.js';

export class FieldErrorSchema {
  @ApiProperty({ example: 'email' }) field!: string;
  @ApiProperty({ example: 'email must be an email address' }) message!: string;
}

export class ErrorResponse {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'validation_failed', description: 'Stable snake_case error code' })
  code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: [FieldErrorSchema] }) details!: FieldErrorSchema[];
  @ApiProperty({ required: false, description: 'Present on 5xx, to quote when reporting' })
  requestId?: string;
}

/** Documents the error codes an endpoint can answer with, grouped by status. */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, list]) =>
      ApiResponse({ status, type: ErrorResponse, description: `code: ${list.join(' | ')}` }),
    ),
  );
}
