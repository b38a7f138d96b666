import { parseTrustProxy } from '../common/net/trust-proxy.js';
import { parseRateRule, type RateRule } from '../common/rate-limit/rate-rule.js';

/** The validated, typed configuration. Built once at boot by `loadConfig`; nothing else reads `process.env`. */
export class AppConfig {
  readonly nodeEnv!: 'development' | 'production' | 'test';
  readonly port!: number;
  readonly databaseUrl!: string;
  readonly redisUrl!: string;
  readonly queuePrefix!: string;
  /** SHA-256 of ADMIN_TOKEN; the plain token is not kept after boot. */
  readonly adminTokenHash!: Buffer | null;
  readonly publicBaseUrl!: string;
  readonly smtpUrl!: string | null;
  readonly mailFrom!: string;
  /** 32 bytes. Encrypts signer contact data and keys the blind indexes. */
  readonly dataEncryptionKey!: Buffer;
  /**
   * Earlier values of DATA_ENCRYPTION_KEY (PREVIOUS_DATA_ENCRYPTION_KEYS): they still open keys
   * wrapped under them, never wrap new ones; the rotation job re-wraps under the current key.
   */
  readonly previousDataEncryptionKeys!: Buffer[];
  /** How often the rotation job looks for keys still wrapped under a previous key. */
  readonly keyRotationIntervalSeconds!: number;
  /** The longest (and default) retentionDays of a petition (RETENTION_DAYS). */
  readonly retentionDays!: number;
  /** How often the retention job looks for petitions whose retention has ended. */
  readonly retentionSweepIntervalSeconds!: number;
  /** True when no key was configured and the development key file was used. */
  readonly dataEncryptionKeyGenerated!: boolean;
  readonly workers!: boolean;
  readonly sourceBurstLimit!: number;
  readonly sourceBurstWindowSeconds!: number;
  readonly invalidationApprovalThreshold!: number;
  readonly logLevel!: string;
  /** Largest accepted JSON body, in bytes (imports have their own limit). */
  readonly bodyLimitBytes!: number;
  /** Largest accepted import or register upload (JSON or CSV), in bytes. */
  readonly importBodyLimitBytes!: number;
  /** How long a signer has to confirm by email before the signature expires. */
  readonly confirmationTtlHours!: number;
  /** How often the sweeper looks for signatures whose job was lost, and how old they must be. */
  readonly sweepIntervalSeconds!: number;
  readonly sweepStaleSeconds!: number;
  /** How often the counts are recomputed from the rows. */
  readonly countReconcileIntervalSeconds!: number;
  /** How often each live petition's counts are recorded for its chart (when they changed). */
  readonly countSnapshotIntervalSeconds!: number;
  /** Jobs one worker process runs at once, per queue. */
  readonly verificationConcurrency!: number;
  readonly mailConcurrency!: number;
  /**
   * The sign endpoint answers no sooner than this after the request began, so a first and a
   * repeated signature (which writes less) take the same time. 0 turns it off.
   */
  readonly signMinResponseMs!: number;
  /** How long a moderator's claim on a signature in the review queue lasts. */
  readonly claimLeaseSeconds!: number;
  /** PostgreSQL connections per process: the API's requests and the workers' jobs share them. */
  readonly databasePoolSize!: number;
  /** A job whose worker died is handed to another worker after this long. */
  readonly jobLockSeconds!: number;
  /** Tries a job gets (with exponential backoff from 1 s) before it ends failed. */
  readonly jobAttempts!: number;
  /** Times the sweeper adds a signature's failed or lost job again before it gives up on it. */
  readonly sweepMaxRevivals!: number;
  /** Sign requests that may wait for a batch to start; past it they get 503 at once. */
  readonly signQueueLimit!: number;
  /** SHA-256 of METRICS_TOKEN: without it, /metrics answers only callers on this machine. */
  readonly metricsTokenHash!: Buffer | null;
  /** The worker process serves /metrics on this port when set (it has no HTTP otherwise). */
  readonly workerMetricsPort!: number | null;
  /**
   * Which proxies' X-Forwarded-For to believe for the client IP (Fastify's `trustProxy`): false,
   * true, or a comma-separated list of addresses, CIDRs and `loopback`/`linklocal`/`uniquelocal`.
   * Behind a proxy that is not trusted, every signer looks like one source to the burst check and
   * the rate limits.
   */
  readonly trustProxy!: boolean | string;
  /** Console sign-in link requests per email address and per source (RATE_LIMIT_SIGN_IN). */
  readonly rateLimitSignIn!: RateRule;
  /** Public signatures from one source on one petition (RATE_LIMIT_SIGN). */
  readonly rateLimitSign!: RateRule;
  /** Public signatures from one source across all petitions (RATE_LIMIT_SIGN_ALL). */
  readonly rateLimitSignAll!: RateRule;
  /** Signer token calls (confirm, withdraw, lookup, status) from one source (RATE_LIMIT_SIGNER_TOKEN). */
  readonly rateLimitSignerToken!: RateRule;
  /** Mails of any kind to one address; past it they are dropped (MAIL_LIMIT_PER_ADDRESS). */
  readonly mailLimitPerAddress!: RateRule;
  /** How long a console session lasts. */
  readonly sessionTtlHours!: number;
  /** A district with fewer verified signatures than this is summed into "other" in public counts. */
  readonly districtMinCount!: number;
  /** How often the trending job looks for sources and email domains signing a petition in bulk. */
  readonly trendingIntervalSeconds!: number;
  /** Signatures from one source or email domain on one petition within an hour that raise an alert. */
  readonly trendingThreshold!: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and checks every variable, collecting all problems so one failed start names them all. */
export interface ConfigHelpers {
  hashToken: (token: string) => Buffer;
  /** Outside production, where DATA_ENCRYPTION_KEY is unset: the development key to use. */
  developmentKey: () => Buffer;
}

export function loadConfig(env: Env, helpers: ConfigHelpers): AppConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const url = (
    name: string,
    fallback: string | undefined,
    protocols: string[],
  ): string | undefined => {
    const raw = read(name) ?? fallback;
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must use ${protocols.join(' or ')} (got "${parsed.protocol}")`);
      }
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };

  const rate = (name: string, fallback: string): RateRule => {
    const raw = read(name) ?? fallback;
    const rule = parseRateRule(raw);
    if (!rule) {
      problems.push(`${name} must be written N/SECONDS, e.g. ${fallback} (got "${raw}")`);
      return parseRateRule(fallback)!;
    }
    return rule;
  };

  const trustProxy = (): boolean | string => {
    const parsed = parseTrustProxy(read('TRUST_PROXY'));
    if (typeof parsed !== 'object') return parsed;
    problems.push(parsed.error);
    return false;
  };

  const nodeEnvRaw = read('NODE_ENV') ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    problems.push(`NODE_ENV must be development, production or test (got "${nodeEnvRaw}")`);
  }
  const nodeEnv = nodeEnvRaw as AppConfig['nodeEnv'];
  const production = nodeEnv === 'production';

  const adminToken = read('ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 16) {
    problems.push('ADMIN_TOKEN must be at least 16 characters long');
  }
  const metricsToken = read('METRICS_TOKEN');
  if (metricsToken !== undefined && !/^\S{16,512}$/.test(metricsToken)) {
    problems.push('METRICS_TOKEN must be 16 to 512 characters, without spaces');
  }
  const workerMetricsPort = read('WORKER_METRICS_PORT');
  const smtpUrl = url('SMTP_URL', undefined, ['smtp:', 'smtps:']) ?? null;
  const keyRaw = read('DATA_ENCRYPTION_KEY');
  let dataEncryptionKey: Buffer = Buffer.alloc(32);
  if (keyRaw !== undefined) {
    const decoded = Buffer.from(keyRaw, 'base64');
    if (!/^[A-Za-z0-9+/]{43}=?$/.test(keyRaw) || decoded.length !== 32) {
      problems.push('DATA_ENCRYPTION_KEY must be exactly 32 bytes, base64-encoded');
    } else {
      dataEncryptionKey = decoded;
    }
  }
  const previousKeys: Buffer[] = [];
  (read('PREVIOUS_DATA_ENCRYPTION_KEYS') ?? '')
    .split(',')
    .map((part) => part.trim())
    .forEach((part, i, all) => {
      if (part === '' && all.length === 1) return;
      const decoded = Buffer.from(part, 'base64');
      // The message names the entry by position, never by value: it is a secret.
      if (!/^[A-Za-z0-9+/]{43}=?$/.test(part) || decoded.length !== 32) {
        problems.push(
          `PREVIOUS_DATA_ENCRYPTION_KEYS entry ${i + 1} must be exactly 32 bytes, base64-encoded (entries are separated by commas)`,
        );
      } else if (keyRaw !== undefined && decoded.equals(dataEncryptionKey)) {
        problems.push(
          `PREVIOUS_DATA_ENCRYPTION_KEYS entry ${i + 1} is the current DATA_ENCRYPTION_KEY: list only earlier keys`,
        );
      } else if (previousKeys.some((key) => key.equals(decoded))) {
        problems.push(`PREVIOUS_DATA_ENCRYPTION_KEYS entry ${i + 1} repeats an earlier entry`);
      } else {
        previousKeys.push(decoded);
      }
    });
  if (production) {
    for (const [name, value] of [
      ['ADMIN_TOKEN', adminToken],
      ['DATA_ENCRYPTION_KEY', keyRaw],
      ['SMTP_URL', smtpUrl],
    ] as const) {
      if (value == null) problems.push(`${name} is required when NODE_ENV=production`);
    }
  } else if (keyRaw === undefined) {
    dataEncryptionKey = helpers.developmentKey();
  }

  const workersRaw = (read('WORKERS') ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(workersRaw))
    problems.push(`WORKERS must be "on" or "off" (got "${workersRaw}")`);

  const queuePrefix = read('QUEUE_PREFIX') ?? 'countersign';
  if (!/^[A-Za-z0-9_{}:.-]{1,64}$/.test(queuePrefix)) {
    problems.push('QUEUE_PREFIX may hold only letters, digits and _ { } : . - (at most 64)');
  }
  const logLevel = read('LOG_LEVEL') ?? (nodeEnv === 'test' ? 'warn' : 'info');
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const config: AppConfig = {
    nodeEnv,
    port: int('PORT', 3000, 0, 65535),
    databaseUrl: url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/countersign', [
      'postgres:',
      'postgresql:',
    ])!,
    redisUrl: url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:'])!,
    queuePrefix,
    adminTokenHash: adminToken === undefined ? null : helpers.hashToken(adminToken),
    publicBaseUrl: (
      url('PUBLIC_BASE_URL', 'http://localhost:3000', ['http:', 'https:']) ?? ''
    ).replace(/\/+$/, ''),
    smtpUrl,
    mailFrom: read('MAIL_FROM') ?? 'Countersign <no-reply@localhost>',
    dataEncryptionKey,
    dataEncryptionKeyGenerated: keyRaw === undefined,
    previousDataEncryptionKeys: previousKeys,
    keyRotationIntervalSeconds: int('KEY_ROTATION_INTERVAL_SECONDS', 60, 1, 24 * 3600),
    retentionDays: int('RETENTION_DAYS', 180, 0, 3650),
    retentionSweepIntervalSeconds: int('RETENTION_SWEEP_INTERVAL_SECONDS', 3600, 1, 7 * 24 * 3600),
    workers: workersRaw === 'on',
    sourceBurstLimit: int('SOURCE_BURST_LIMIT', 20, 1, 1_000_000),
    sourceBurstWindowSeconds: int('SOURCE_BURST_WINDOW_SECONDS', 600, 1, 31 * 24 * 3600),
    invalidationApprovalThreshold: int('INVALIDATION_APPROVAL_THRESHOLD', 100, 0, 10_000_000),
    logLevel,
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    importBodyLimitBytes: int('IMPORT_BODY_LIMIT_BYTES', 16 * 1024 * 1024, 1024, 64 * 1024 * 1024),
    confirmationTtlHours: int('CONFIRMATION_TTL_HOURS', 7 * 24, 1, 365 * 24),
    sweepIntervalSeconds: int('SWEEP_INTERVAL_SECONDS', 15, 1, 3600),
    sweepStaleSeconds: int('SWEEP_STALE_SECONDS', 30, 0, 24 * 3600),
    countReconcileIntervalSeconds: int('COUNT_RECONCILE_INTERVAL_SECONDS', 300, 1, 24 * 3600),
    countSnapshotIntervalSeconds: int('COUNT_SNAPSHOT_INTERVAL_SECONDS', 60, 1, 24 * 3600),
    verificationConcurrency: int('VERIFICATION_CONCURRENCY', 256, 1, 1000),
    mailConcurrency: int('MAIL_CONCURRENCY', 64, 1, 1000),
    jobLockSeconds: int('JOB_LOCK_SECONDS', 30, 1, 3600),
    jobAttempts: int('JOB_ATTEMPTS', 8, 1, 100),
    sweepMaxRevivals: int('SWEEP_MAX_REVIVALS', 5, 0, 1000),
    signQueueLimit: int('SIGN_QUEUE_LIMIT', 2000, 1, 1_000_000),
    metricsTokenHash: metricsToken === undefined ? null : helpers.hashToken(metricsToken),
    workerMetricsPort:
      workerMetricsPort === undefined ? null : int('WORKER_METRICS_PORT', 0, 0, 65535),
    databasePoolSize: int('DATABASE_POOL_SIZE', 10, 1, 500),
    claimLeaseSeconds: int('CLAIM_LEASE_SECONDS', 600, 1, 24 * 3600),
    signMinResponseMs: int('SIGN_MIN_RESPONSE_MS', 10, 0, 1000),
    trustProxy: trustProxy(),
    rateLimitSignIn: rate('RATE_LIMIT_SIGN_IN', '5/900'),
    rateLimitSign: rate('RATE_LIMIT_SIGN', '60/600'),
    rateLimitSignAll: rate('RATE_LIMIT_SIGN_ALL', '600/3600'),
    rateLimitSignerToken: rate('RATE_LIMIT_SIGNER_TOKEN', '30/60'),
    mailLimitPerAddress: rate('MAIL_LIMIT_PER_ADDRESS', '5/86400'),
    sessionTtlHours: int('SESSION_TTL_HOURS', 12, 1, 24 * 365),
    districtMinCount: int('DISTRICT_MIN_COUNT', 3, 1, 1_000_000),
    trendingIntervalSeconds: int('TRENDING_INTERVAL_SECONDS', 60, 1, 3600),
    trendingThreshold: int('TRENDING_THRESHOLD', 100, 1, 10_000_000),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
