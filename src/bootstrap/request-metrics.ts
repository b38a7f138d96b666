import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../common/metrics/metrics.js';

/** Requests no route matched share one label value, so a scan of random URLs adds no series. */
export const UNMATCHED_ROUTE = 'unmatched';
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Counts and times every request by method, route pattern and status, in one `onResponse` hook.
 * The route is Fastify's pattern (`/v1/petitions/:idOrSlug/counts`), never the URL, which holds
 * ids, slugs and query strings. A callback hook, not an async one: an async hook costs each
 * response a promise.
 */
export function addRequestMetrics(fastify: FastifyInstance, metrics: Metrics): void {
  const histogram = metrics.httpRequestDuration;
  fastify.addHook('onResponse', (request, reply, done) => {
    histogram.observe(
      METHODS.has(request.method) ? request.method : 'other',
      request.routeOptions.url ?? UNMATCHED_ROUTE,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
}
