import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger as Pino } from 'pino';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import { AppModule } from '../app.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ERROR_PAGES, type ErrorPages } from '../common/errors/error-pages.js';
import { sendError } from '../common/errors/http-exception.filter.js';
import { badTextError, parseJsonBody, parseTextBody } from '../common/http/json-body.js';
import { isWellFormed } from '../common/text/well-formed.js';
import { isUploadRoute, uploadAuthTargets } from '../common/upload/upload-route.js';
import { PinoNestLogger } from '../common/logging/logger.js';
import { isFormRoute, isMultipartRoute } from '../web/page-route.js';
import { SESSION_COOKIE } from '../web/console/console-auth.js';
import { AuthGuard } from '../accounts/auth.guard.js';
import { ConsoleSessionsService } from '../accounts/console-sessions.service.js';
import { AppConfig } from '../config/app-config.js';
import { AccessLogController } from './access-log.controller.js';
import { clientErrorHandler } from './client-errors.js';
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
  // Known once the app exists; the router's errors need it only when requests come.
  const errorPages: { current?: ErrorPages } = {};
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
    // Errors Fastify's router raises before Nest sees the request (a malformed URL, a path
    // parameter over 100 characters), and errors Node raises before there is a request at all
    // (headers over 16 KB): answered with the contract's body, a request id and a log line.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      void reply.header('x-request-id', request.id);
      // Fastify writes no access-log line for these: no route ran.
      reply.raw.once('finish', () => accessLog.requestCompleted(null, request, reply));
      sendError(error, request, reply, errorPages.current);
    },
    clientErrorHandler: clientErrorHandler(logger),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
    abortOnError: false,
  });

  errorPages.current = app.get<ErrorPages>(ERROR_PAGES, { strict: false });
  registerBodyParsers(app, config);

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
    refuseIllFormedUrlText(request);
    return payload;
  });
  fastify.addHook('onRoute', (route) => {
    if (isUploadRoute(route.config)) route.bodyLimit = config.importBodyLimitBytes;
  });
  authorizeUploadsBeforeTheBody(fastify, app.get(AuthGuard, { strict: false }));
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

/**
 * JSON, and on upload routes CSV; other types get 415 from Fastify. What a JSON body may hold
 * (depth, UTF-8, no NUL, no lone surrogates, no prototype keys) is `parseJsonBody`'s to say.
 */
function registerBodyParsers(app: NestFastifyApplication, config: AppConfig): void {
  app.useBodyParser(
    'application/json',
    { bodyLimit: config.bodyLimitBytes },
    async (_req: unknown, body: Buffer) => parseJsonBody(body),
  );
  // Uploads (imports, registers) may also be CSV, and larger than other bodies.
  app.useBodyParser(
    'text/csv',
    { bodyLimit: config.bodyLimitBytes },
    async (req: FastifyRequest, body: Buffer) => {
      if (!isUploadRoute(req.routeOptions.config)) {
        throw new DomainError('unsupported_media_type', 'This endpoint takes application/json');
      }
      return parseTextBody(body);
    },
  );
}

/**
 * Path parameters and the query string, like bodies, must be well-formed Unicode. Fastify's
 * decoders already refuse percent-encoded surrogates (`%ED%A0%80`), so this is the backstop that
 * keeps the rule true whatever decodes them; it reads a few short strings.
 */
function refuseIllFormedUrlText(request: FastifyRequest): void {
  for (const values of [request.params, request.query]) {
    if (values === null || typeof values !== 'object') continue;
    for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
      const texts = Array.isArray(value) ? value : [value];
      if (!isWellFormed(name) || texts.some((t) => typeof t === 'string' && !isWellFormed(t))) {
        throw badTextError('surrogate', [name]);
      }
    }
  }
}

/**
 * Upload routes (imports, register entries) take bodies of many megabytes, so the auth guard runs
 * for them in an `onRequest` hook, before Fastify reads a byte of the body: an anonymous or
 * wrong-role caller is refused (401/403) at once, and the connection is closed rather than the
 * rest of the body read. The guard runs again in Nest, finding the caller already known.
 */
function authorizeUploadsBeforeTheBody(fastify: FastifyInstance, guard: AuthGuard): void {
  fastify.addHook('onRoute', (route) => {
    const targets = uploadAuthTargets(route.config);
    if (!targets) return;
    const early: onRequestHookHandler = (request, reply, done) => {
      const refuse = (error: unknown) => {
        void reply.header('connection', 'close');
        done(error as Error);
      };
      try {
        const admitted = guard.authorize(request, targets);
        if (admitted instanceof Promise) admitted.then(() => done(), refuse);
        else done();
      } catch (error) {
        refuse(error);
      }
    };
    const existing = route.onRequest ?? [];
    route.onRequest = [...(Array.isArray(existing) ? existing : [existing]), early];
  });
}
