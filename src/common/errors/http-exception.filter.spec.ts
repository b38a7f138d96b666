import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { DomainError } from './domain-error.js';
import { toErrorBody } from './http-exception.filter.js';

describe('toErrorBody', () => {
  it('maps domain errors by code', () => {
    expect(
      toErrorBody(
        new DomainError('invalid_transition', 'nope', [{ field: 'status', message: 'is open' }]),
      ),
    ).toEqual({
      statusCode: 409,
      code: 'invalid_transition',
      message: 'nope',
      details: [{ field: 'status', message: 'is open' }],
    });
  });

  it('maps Nest HTTP exceptions to contract codes', () => {
    expect(toErrorBody(new NotFoundException('Cannot GET /x'))).toMatchObject({
      statusCode: 404,
      code: 'not_found',
    });
    expect(toErrorBody(new BadRequestException('bad'))).toMatchObject({
      statusCode: 400,
      code: 'validation_failed',
    });
  });

  it('maps Fastify parser errors', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), {
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
    });
    const mediaType = Object.assign(new Error('Unsupported Media Type'), {
      code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
    });
    const longParam = Object.assign(new Error(`'/v1/petitions/${'a'.repeat(101)}' is exceeding`), {
      code: 'FST_ERR_MAX_PARAM_LENGTH',
    });
    expect(toErrorBody(tooLarge)).toMatchObject({ statusCode: 413, code: 'payload_too_large' });
    // No id or slug is that long; and the path is not quoted back.
    const notFound = toErrorBody(longParam);
    expect(notFound).toMatchObject({ statusCode: 404, code: 'not_found' });
    expect(notFound.message).not.toContain('aaaa');
    expect(toErrorBody(mediaType)).toMatchObject({
      statusCode: 415,
      code: 'unsupported_media_type',
    });
  });

  it('answers 503 when a dependency is down, however the driver says it', () => {
    for (const error of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('terminating connection due to administrator command'), {
        code: '57P01',
      }),
      Object.assign(new Error('query failed'), {
        driverError: Object.assign(new Error('x'), { code: '08006' }),
      }),
    ]) {
      expect(toErrorBody(error)).toMatchObject({ statusCode: 503, code: 'service_unavailable' });
    }
  });

  it('hides everything about unexpected errors behind a generic 500', () => {
    const secret = new Error('duplicate key (email)=(someone@example.test)');
    const body = toErrorBody(secret);
    expect(body).toEqual({
      statusCode: 500,
      code: 'internal_error',
      message: 'Internal error',
      details: [],
    });
    expect(JSON.stringify(toErrorBody(new HttpException('boom at db layer', 500)))).not.toContain(
      'boom',
    );
  });
});
