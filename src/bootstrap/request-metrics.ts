import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from '../common/metrics/metrics.js';

/** Requests no route matched share one label value, so a scan of random URLs adds no series. */
export const UNMATCHED_ROUTE = 'unmatched';
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export type RequestRecorder = (request: FastifyRequest, reply: FastifyReply) => void;

/**
 * Counts and times a finished request by method, route pattern and status. The route is
 * Fastify's pattern (`/v1/petitions/:idOrSlug/counts`), never the URL, which holds ids, slugs and
 * query strings.
 *
 * It is called by the access-log controller, which Fastify calls once per finished response
 * anyway, rather than from an `onResponse` hook: measured on a bare Fastify route, any
 * `onResponse` hook (even an empty one) cost about 1.2 µs of CPU per request in Fastify's hook
 * runner, against about 0.2 µs for this whole function.
 */
export function requestRecorder(metrics: Metrics): RequestRecorder {
  const histogram = metrics.httpRequestDuration;
  return (request, reply) =>
    histogram.observe(
      METHODS.has(request.method) ? request.method : 'other',
      request.routeOptions.url ?? UNMATCHED_ROUTE,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
}
