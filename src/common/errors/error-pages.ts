import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from './error-code.js';

/**
 * Lets the global error filter answer a browser with a page instead of JSON, without `common/`
 * knowing about pages: the web module provides this under ERROR_PAGES.
 */
export interface ErrorPages {
  /** Whether this request should get an HTML error page. */
  wants(request: FastifyRequest): boolean;
  send(request: FastifyRequest, reply: FastifyReply, body: ErrorBody): void;
}

export const ERROR_PAGES = Symbol('ERROR_PAGES');
