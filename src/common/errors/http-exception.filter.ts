import { isDependencyDown } from './dependency-down.js';
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Inject,
  Logger,
  Optional,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from './domain-error.js';
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from './error-code.js';
import { ERROR_PAGES, type ErrorPages } from './error-pages.js';

/** Fastify's own errors (body parsing, limits) that a client causes, by Fastify error code. */
const FASTIFY_ERRORS: Record<string, ErrorCode> = {
  // find-my-way's maxParamLength (100): no id or slug is that long, so nothing is there.
  FST_ERR_MAX_PARAM_LENGTH: 'not_found',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_BAD_URL: 'validation_failed',
  FST_ERR_ASYNC_CONSTRAINT: 'validation_failed',
  // @fastify/multipart (console uploads)
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_PARTS_LIMIT: 'payload_too_large',
  FST_FILES_LIMIT: 'payload_too_large',
  FST_FIELDS_LIMIT: 'payload_too_large',
  FST_PROTO_VIOLATION: 'validation_failed',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
  FST_INVALID_JSON_FIELD_ERROR: 'validation_failed',
  FST_MP_PREMATURE_CLOSE: 'validation_failed',
};

/** Fastify's own words where they would quote the request back or say too little. */
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_MAX_PARAM_LENGTH:
    'Not found: a part of this path is longer than any id or slug (at most 100 characters)',
};

/** Statuses of Nest's built-in HTTP exceptions, as contract codes. */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'service_unavailable',
};

export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof DomainError) {
    return {
      statusCode: ERROR_STATUS[error.code],
      code: error.code,
      message: error.message,
      details: error.details,
    };
  }
  if (error instanceof HttpException) {
    const statusCode = error.getStatus();
    const code =
      STATUS_CODES[statusCode] ?? (statusCode >= 500 ? 'internal_error' : 'validation_failed');
    const response = error.getResponse();
    const raw =
      typeof response === 'string' ? response : (response as { message?: unknown }).message;
    const message =
      statusCode >= 500 ? 'Internal error' : typeof raw === 'string' ? raw : error.message;
    return { statusCode, code, message, details: [] };
  }
  const fastifyCode = (error as { code?: unknown }).code;
  if (typeof fastifyCode === 'string' && fastifyCode in FASTIFY_ERRORS) {
    const code = FASTIFY_ERRORS[fastifyCode];
    return {
      statusCode: ERROR_STATUS[code],
      code,
      message: FASTIFY_MESSAGES[fastifyCode] ?? (error as Error).message,
      details: [],
    };
  }
  if (isDependencyDown(error)) {
    return {
      statusCode: 503,
      code: 'service_unavailable',
      message: 'A service dependency is unavailable; try again shortly',
      details: [],
    };
  }
  return { statusCode: 500, code: 'internal_error', message: 'Internal error', details: [] };
}

/**
 * The one place where errors become responses: every error, from a guard, a pipe, a service or
 * Fastify's body parser, leaves with the contract's body. Unexpected errors are logged with their
 * stack and answered with a generic message and the request id, so a report can be traced.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(@Optional() @Inject(ERROR_PAGES) private readonly pages?: ErrorPages) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(
      error,
      http.getRequest<FastifyRequest>(),
      http.getResponse<FastifyReply>(),
      this.pages,
    );
  }
}

const logger = new Logger('HttpExceptionFilter');

/**
 * Answers `error` with the contract's body (or, for a page, the error page). Also used for the
 * errors Fastify's router raises before Nest sees a request (a malformed URL, an over-long
 * parameter), so those are answered, logged and traced the same way.
 */
export function sendError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  pages?: ErrorPages,
): void {
  const body = toErrorBody(error);
  if (body.statusCode >= 500) {
    body.requestId = String(request.id);
    const log = body.statusCode === 503 ? 'warn' : 'error';
    request.log[log]({ err: error, code: body.code }, 'request failed');
  }
  if (reply.sent) {
    logger.warn(`error after the response was sent: ${body.code}`);
    return;
  }
  const retryAfter = body.details.find(
    (d): d is { retryAfterSeconds: number } =>
      typeof (d as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds === 'number',
  );
  if ((body.statusCode === 429 || body.statusCode === 503) && retryAfter) {
    void reply.header('retry-after', String(retryAfter.retryAfterSeconds));
  }
  if (pages?.wants(request)) {
    pages.send(request, reply, body);
    return;
  }
  void reply
    .status(body.statusCode)
    .header('content-type', 'application/json; charset=utf-8')
    .send(body);
}
