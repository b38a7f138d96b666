import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { sourceOf } from '../net/source-address.js';
import { ErrorResponse } from '../openapi/api-errors.decorator.js';
import { type RateLimitName, RateLimits } from './rate-limits.js';

const LIMIT = Symbol('rate-limit-by-source');

/**
 * Counts each request to a route (or every route of a controller) against `name`, per source (an
 * IPv4 address or an IPv6 /64), before its body is validated: a request that guesses tokens
 * costs a try whether or not it is well formed. Over the limit: 429 `rate_limited` with
 * Retry-After, or the 429 page on page routes.
 */
export function LimitBySource(name: RateLimitName): ClassDecorator & MethodDecorator {
  return applyDecorators(SetMetadata(LIMIT, name), UseGuards(LimitBySourceGuard));
}

/** Documents the 429 a rate-limited endpoint can answer with, and its Retry-After header. */
export function ApiRateLimited(what: string): ClassDecorator & MethodDecorator {
  return applyDecorators(
    ApiResponse({
      status: 429,
      type: ErrorResponse,
      description: `code: rate_limited — ${what}. \`details\` holds \`{retryAfterSeconds}\`.`,
      headers: {
        'Retry-After': {
          description: 'Seconds to wait before trying again',
          schema: { type: 'integer', minimum: 1 },
        },
      },
    }),
  );
}

@Injectable()
export class LimitBySourceGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const name = this.reflector.getAllAndOverride<RateLimitName | undefined>(LIMIT, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (name !== undefined) {
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      await this.limits.consume(name, sourceOf(request.ip));
    }
    return true;
  }
}
