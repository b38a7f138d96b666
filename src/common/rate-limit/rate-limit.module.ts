import { Global, Module } from '@nestjs/common';
import { RateLimits } from './rate-limits.js';

/** The shared, Redis-counted rate limits, for every module that limits something. */
@Global()
@Module({ providers: [RateLimits], exports: [RateLimits] })
export class RateLimitModule {}
