import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../../config/app-config.js';
import { producerRedisOptions } from '../../queue/redis-options.js';
import { DataProtector } from '../crypto/data-protector.js';
import { DomainError } from '../errors/domain-error.js';
import type { RateRule } from './rate-rule.js';

/** The named limits, each configured as `N/SECONDS` (see AppConfig). */
export type RateLimitName = 'signIn';

const KEY_PURPOSE = 'rate-limit.key';

/**
 * Limits counted in Redis, so every replica shares them (rate-limiter-flexible). Keys are keyed
 * hashes, never an address or an IP. While Redis is down each process counts on its own in
 * memory (the limiter's insurance), and the log says so once.
 */
@Injectable()
export class RateLimits implements OnApplicationShutdown {
  private readonly logger = new Logger(RateLimits.name);
  private readonly redis: Redis;
  private readonly limiters = new Map<RateLimitName, RateLimiterRedis | null>();
  private warned = false;

  constructor(
    private readonly config: AppConfig,
    private readonly protector: DataProtector,
  ) {
    this.redis = new Redis({ ...producerRedisOptions(config.redisUrl), lazyConnect: true });
    this.redis.on('error', () => undefined); // reported once, below, when a limit falls back
    const rules: Record<RateLimitName, RateRule> = { signIn: config.rateLimitSignIn };
    for (const [name, rule] of Object.entries(rules) as Array<[RateLimitName, RateRule]>) {
      this.limiters.set(name, rule.points === 0 ? null : this.limiter(name, rule));
    }
  }

  /**
   * Counts one use of `name` by `key`, or throws 429 `rate_limited` (with the seconds to wait)
   * when the limit is used up.
   */
  async consume(name: RateLimitName, key: string): Promise<void> {
    const limiter = this.limiters.get(name);
    if (!limiter) return;
    const hashed = this.protector.blindIndex(`${name}\0${key}`, KEY_PURPOSE).toString('base64url');
    try {
      await limiter.consume(hashed);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const retryAfterSeconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new DomainError('rate_limited', `Too many tries; try again in ${retryAfterSeconds} s`, [
        { retryAfterSeconds },
      ]);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }

  private limiter(name: RateLimitName, rule: RateRule): RateLimiterRedis {
    const options = {
      keyPrefix: `${this.config.queuePrefix}:limit:${name}`,
      points: rule.points,
      duration: rule.seconds,
    };
    const insurance = new RateLimiterMemory(options);
    const limiter = new RateLimiterRedis({
      ...options,
      storeClient: this.redis,
      useRedisPackage: false,
      rejectIfRedisNotReady: true,
      insuranceLimiter: insurance,
    });
    // The insurance limiter answers while Redis cannot: say so once, not per request.
    const consume = insurance.consume.bind(insurance);
    insurance.consume = (...args: Parameters<typeof consume>) => {
      if (!this.warned) {
        this.warned = true;
        this.logger.warn('Redis is not answering: rate limits are counted in this process only');
      }
      return consume(...args);
    };
    if (this.redis.status === 'wait') void this.redis.connect().catch(() => undefined);
    return limiter;
  }
}
