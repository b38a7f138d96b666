import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger as Pino } from 'pino';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import sjson from 'secure-json-parse';
import { AppModule } from '../app.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { toErrorBody } from '../common/errors/http-exception.filter.js';
import { isUploadRoute } from '../common/upload/upload-route.js';
import { PinoNestLogger } from '../common/logging/logger.js';
import { isFormRoute, isMultipartRoute } from '../web/page-route.js';
import { SESSION_COOKIE } from '../web/console/console-auth.js';
import { ConsoleSessionsService } from '../accounts/console-sessions.service.js';
import { AppConfig } from '../config/app-config.js';
import { AccessLogController } from './access-log.controller.js';
import { registerQueueBoard } from '../web/console/queue-board.js';
import { setupOpenApi } from './openapi.js';
import { requestRecorder } from './request-metrics.js';
import { Metrics } from '../common/metrics/metrics.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const FORM_TYPE = 'application/x-www-form-urlencoded';
const MULTIPART_TYPE = 'multipart/form-data';
/** A sign form is a few kilobytes at most. */
const FORM_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Builds the HTTP application exactly as production runs it; `main.ts` and the e2e tests both
 * call this, so the tests exercise the real body parsing, error mapping and OpenAPI document.
 */
export async function createHttpApp(
  config: AppConfig,
  logger: Pino,
): Promise<NestFastifyApplication> {
  const accessLog = new AccessLogController();
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: accessLog,
    bodyLimit: config.bodyLimitBytes,
    // Keep a caller's request id when it looks like one, so logs can be joined across services.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    return503OnClosing: true,
    trustProxy: config.trustProxy,
    // Errors Fastify's router raises before Nest sees the request (a malformed URL).
    frameworkErrors: (error: Error, _request: unknown, reply: FastifyReply) => {
      const body = toErrorBody(error);
      void reply.status(body.statusCode).send(body);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
    abortOnError: false,
  });

  // JSON only: an empty body counts as none (bodiless POST actions), and prototype-poisoning
  // keys are refused. Other content types get 415 from Fastify.
  app.useBodyParser(
    'application/json',
    { bodyLimit: config.bodyLimitBytes },
    async (_req: unknown, body: Buffer) => {
      if (body.length === 0 || /^\s*$/.test(body.toString('utf8'))) return undefined;
      let parsed: unknown;
      try {
        parsed = sjson.parse(body.toString('utf8'), undefined, {
          protoAction: 'error',
          constructorAction: 'error',
        });
      } catch (error) {
        // The parser's own message can quote the body (a signer's email), so it is not passed on.
        const reason = (error as Error).message.includes('prototype')
          ? ': it uses a forbidden key (__proto__ or constructor.prototype)'
          : '';
        throw new DomainError('malformed_json', `The body is not valid JSON${reason}`);
      }
      if (containsNul(parsed)) throw nulError();
      return parsed;
    },
  );

  // Uploads (imports, registers) may also be CSV, and larger than other bodies.
  app.useBodyParser(
    'text/csv',
    { bodyLimit: config.bodyLimitBytes },
    async (req: FastifyRequest, body: Buffer) => {
      if (!isUploadRoute(req.routeOptions.config)) {
        throw new DomainError('unsupported_media_type', 'This endpoint takes application/json');
      }
      const text = body.toString('utf8');
      if (text.includes('\0')) throw nulError();
      return text;
    },
  );

  // Page forms post application/x-www-form-urlencoded; only page form routes take it.
  await app.register(formbody, { bodyLimit: FORM_BODY_LIMIT_BYTES });
  // The console's session cookie (signers get no cookie).
  await app.register(cookie);
  // Console uploads (a CSV file and a few fields), on page upload routes only; held in memory
  // within the import limit, then parsed into the body as plain values.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: config.importBodyLimitBytes, files: 1, fields: 30, fieldSize: 100_000 },
  });
  const fastify = app.getHttpAdapter().getInstance();
  const sessions = app.get(ConsoleSessionsService);
  fastify.removeContentTypeParser('text/plain'); // Fastify's built-in; this API takes JSON
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    const type = request.headers['content-type'] ?? '';
    const config = request.routeOptions.config;
    if (
      (type.startsWith(FORM_TYPE) && !isFormRoute(config)) ||
      (type.startsWith(MULTIPART_TYPE) && !isMultipartRoute(config))
    ) {
      throw new DomainError('unsupported_media_type', 'This endpoint takes application/json');
    }
    // A console upload is read into memory: only a live console session may make us read one.
    // (The page's own guard then checks the role and the anti-forgery field.)
    if (type.startsWith(MULTIPART_TYPE)) {
      const id = request.cookies?.[SESSION_COOKIE];
      if (!id || !(await sessions.find(id))) {
        throw new DomainError('unauthorized', 'Sign in to use the console');
      }
    }
    return payload;
  });
  fastify.addHook('onRoute', (route) => {
    if (isUploadRoute(route.config)) route.bodyLimit = config.importBodyLimitBytes;
  });
  // A callback hook, not an async one: an async hook costs every response a promise and a turn of
  // the microtask queue before it is written.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });
  accessLog.record = requestRecorder(app.get(Metrics));

  setupOpenApi(app);
  await registerQueueBoard(app);
  app.enableShutdownHooks();
  await app.init();
  return app;
}

/** PostgreSQL text cannot hold U+0000, so a string with one must be refused here, not at the INSERT. */
function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, item]) => key.includes('\0') || containsNul(item));
  }
  return false;
}

function nulError(): DomainError {
  return new DomainError('validation_failed', 'Text may not contain the NUL character (U+0000)', [
    { field: '', message: 'contains the NUL character' },
  ]);
}
