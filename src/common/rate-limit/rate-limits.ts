import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../../config/app-config.js';
import { producerRedisOptions } from '../../queue/redis-options.js';
import { DataProtector } from '../crypto/data-protector.js';
import { DomainError } from '../errors/domain-error.js';
import { Metrics } from '../metrics/metrics.js';
import type { RateRule } from './rate-rule.js';
import { type WindowCount, WindowCounts } from './window-counts.js';

/**
 * The named limits, each configured as `N/SECONDS` (see AppConfig). The name is also the `limit`
 * label of the refusals metric and part of the Redis key, so it never changes once shipped.
 */
export type RateLimitName = 'sign' | 'signAll' | 'signerToken' | 'signIn' | 'mailPerAddress';

/** One use of a limit: which limit, and who uses it. */
export interface RateUse {
  name: RateLimitName;
  /** Who: an address, a source. Only its keyed hash leaves the process. */
  key: string;
  /**
   * Within what, when the limit is kept per something that is no one's personal data (a
   * petition id): it goes into the Redis key as it is, so that uses sharing `key` need one hash.
   */
  scope?: string;
}

const KEY_PURPOSE = 'rate-limit.key';
/**
 * A Redis that holds its connection open but does not answer must not hold requests up: after
 * this long a command fails and the in-process limiter answers instead.
 */
const COMMAND_TIMEOUT_MS = 1_000;
/** How long the boot waits for the limiter's Redis before it starts counting in memory. */
const CONNECT_WAIT_MS = 2_000;

/** A configured limit: rate-limiter-flexible's Redis limiter for its keys, and its fallback. */
interface Limit {
  name: RateLimitName;
  rule: RateRule;
  redis: RateLimiterRedis;
  /** Counts in this process while Redis does not answer (the Redis limiter's insurance). */
  memory: RateLimiterMemory;
}

/**
 * Limits counted in Redis, so every replica shares them: rate-limiter-flexible's fixed window
 * per key, its RateLimiterRedis keys and a RateLimiterMemory insurance. Keys are keyed hashes,
 * never an address or an IP. While Redis is down each process counts on its own in memory, and
 * the log says so once per outage.
 *
 * Uses are counted through WindowCounts, which runs RateLimiterRedis's script for the uses of
 * all concurrent requests in one call: a sign's two limits cost one round trip, not two, and
 * under load a fraction of a command each. The limiter's connection is its own.
 */
@Injectable()
export class RateLimits implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RateLimits.name);
  private readonly redis: Redis;
  private readonly counts: WindowCounts;
  private readonly limits = new Map<RateLimitName, Limit | null>();
  private outage = false;

  constructor(
    private readonly config: AppConfig,
    private readonly protector: DataProtector,
    private readonly metrics: Metrics,
  ) {
    this.redis = new Redis({
      ...producerRedisOptions(config.redisUrl),
      lazyConnect: true,
      enableAutoPipelining: true,
      commandTimeout: COMMAND_TIMEOUT_MS,
    });
    this.redis.on('error', () => undefined); // reported once, below, when a limit falls back
    this.redis.on('ready', () => {
      if (!this.outage) return;
      this.outage = false;
      this.logger.log('Redis answers again: rate limits are shared by all processes again');
    });
    this.counts = new WindowCounts(this.redis);
    const rules: Record<RateLimitName, RateRule> = {
      sign: config.rateLimitSign,
      signAll: config.rateLimitSignAll,
      signerToken: config.rateLimitSignerToken,
      signIn: config.rateLimitSignIn,
      mailPerAddress: config.mailLimitPerAddress,
    };
    for (const [name, rule] of Object.entries(rules) as Array<[RateLimitName, RateRule]>) {
      this.limits.set(name, rule.points === 0 ? null : this.limit(name, rule));
    }
  }

  /**
   * Connects before the first request, so that the first few are not counted in memory (and
   * reported as an outage) only because the connection was still being made. A Redis that is
   * down does not stop the boot: the limits count in memory until it answers.
   */
  async onModuleInit(): Promise<void> {
    if (![...this.limits.values()].some((limit) => limit !== null)) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.redis.connect().catch(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, CONNECT_WAIT_MS))),
    ]);
    clearTimeout(timer);
  }

  /** Whether `name` counts anything (`0/…` turns a limit off). */
  enabled(name: RateLimitName): boolean {
    return this.limits.get(name) != null;
  }

  /**
   * Counts one use of `name` by `key`, or throws 429 `rate_limited` (with the seconds to wait)
   * when the limit is used up.
   */
  async consume(name: RateLimitName, key: string): Promise<void> {
    await this.consumeAll([{ name, key }]);
  }

  /**
   * Counts one use of each limit, all at once (one round trip to Redis), or throws 429 when any
   * of them is used up, with the longest wait. A refused request is not counted against the
   * limits that let it through: being refused on one petition must not use up the budget a
   * source has for the others.
   */
  async consumeAll(uses: readonly RateUse[]): Promise<void> {
    const hashes = new Map<string, string>();
    const counted = uses.flatMap((use) => {
      const limit = this.limits.get(use.name);
      if (!limit) return [];
      let hashed = hashes.get(use.key);
      if (hashed === undefined) hashes.set(use.key, (hashed = this.hash(use.key)));
      return [{ limit, key: use.scope === undefined ? hashed : `${use.scope}:${hashed}` }];
    });
    if (counted.length === 0) return;
    const results = await Promise.all(counted.map((use) => this.count(use.limit, use.key)));
    let waitMs = -1;
    results.forEach((result, i) => {
      if (result.consumed <= counted[i].limit.rule.points) return;
      this.metrics.rateLimitRefusals.labels(counted[i].limit.name).inc();
      waitMs = Math.max(waitMs, result.msBeforeNext);
    });
    if (waitMs < 0) return;
    const accepted = counted.filter((use, i) => results[i].consumed <= use.limit.rule.points);
    await Promise.all(accepted.map((use) => this.giveBack(use.limit, use.key)));
    const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
    throw new DomainError('rate_limited', `Too many tries; try again in ${retryAfterSeconds} s`, [
      { retryAfterSeconds },
    ]);
  }

  /**
   * For limits that drop work rather than refuse a request (mail): counts one use and says
   * whether it was within the limit. A refusal is counted in the metrics like any other.
   */
  async allow(name: RateLimitName, key: string): Promise<boolean> {
    try {
      await this.consume(name, key);
      return true;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'rate_limited') return false;
      throw error;
    }
  }

  /** Gives back a use counted for work that then did not happen (a mail that failed to send). */
  async refund(name: RateLimitName, key: string): Promise<void> {
    const limit = this.limits.get(name);
    if (limit) await this.giveBack(limit, this.hash(key));
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }

  /** One use of `key` under `limit`: in Redis, or in this process while Redis does not answer. */
  private async count(limit: Limit, key: string): Promise<WindowCount> {
    const shared = await this.counts.count({
      key: limit.redis.getKey(key),
      seconds: limit.rule.seconds,
    });
    if (shared) return shared;
    this.reportOutage();
    const local = await limit.memory.consume(key).catch((refused: unknown) => {
      if (refused instanceof RateLimiterRes) return refused;
      throw refused;
    });
    return { consumed: local.consumedPoints, msBeforeNext: local.msBeforeNext };
  }

  /** rate-limiter-flexible's reward, which falls back to the memory count by itself. */
  private async giveBack(limit: Limit, key: string): Promise<void> {
    await limit.redis.reward(key).catch(() => undefined);
  }

  /** The limits' names are in their key prefixes, so one hash of `key` serves them all. */
  private hash(key: string): string {
    return this.protector.blindIndex(key, KEY_PURPOSE).toString('base64url');
  }

  private limit(name: RateLimitName, rule: RateRule): Limit {
    const options = {
      keyPrefix: `${this.config.queuePrefix}:limit:${name}`,
      points: rule.points,
      duration: rule.seconds,
    };
    const memory = new RateLimiterMemory(options);
    const redis = new RateLimiterRedis({
      ...options,
      storeClient: this.redis,
      useRedisPackage: false,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
    return { name, rule, redis, memory };
  }

  private reportOutage(): void {
    if (this.outage) return;
    this.outage = true;
    this.logger.warn(
      'Redis is not answering: rate limits are counted in this process only until it does',
    );
  }
}
