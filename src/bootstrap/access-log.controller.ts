import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Logger as Pino } from 'pino';
import type { RequestRecorder } from './request-metrics.js';

/**
 * One access-log line per request, after the response: method, route pattern, status, time.
 * Never the client IP, headers, query string or body, which can carry signer data.
 */
export class AccessLogController extends LogController {
  /** Also told of every finished request: the request metrics (set once the app exists). */
  record?: RequestRecorder;

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    this.record?.(request, reply);
    // Most deployments log at info; below it (the bench runs at warn) the line is never written,
    // so it is not built either: reading the route options allocates on every request.
    // reply.log is a child of the pino logger createHttpApp hands Fastify.
    if (!(reply.log as Pino).isLevelEnabled(error ? 'error' : 'info')) return;
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
