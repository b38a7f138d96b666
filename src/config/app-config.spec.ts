import { ConfigError, loadConfig } from './app-config.js';

const helpers = {
  hashToken: (token: string) => Buffer.from(`hash:${token}`),
  developmentKey: () => Buffer.alloc(32, 7),
};
const KEY = Buffer.alloc(32, 1).toString('base64');

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, helpers);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('has the contract defaults for development', () => {
    const config = loadConfig({}, helpers);
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/countersign',
      redisUrl: 'redis://127.0.0.1:6379',
      queuePrefix: 'countersign',
      adminTokenHash: null,
      publicBaseUrl: 'http://localhost:3000',
      smtpUrl: null,
      mailFrom: 'Countersign <no-reply@localhost>',
      workers: true,
      sourceBurstLimit: 20,
      sourceBurstWindowSeconds: 600,
      invalidationApprovalThreshold: 100,
    });
    expect(config.dataEncryptionKey).toEqual(Buffer.alloc(32, 7));
    expect(config.dataEncryptionKeyGenerated).toBe(true);
  });

  it('reads every variable it is given', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        WORKERS: 'off',
        ADMIN_TOKEN: 'a-long-enough-admin-token',
        DATA_ENCRYPTION_KEY: KEY,
        PUBLIC_BASE_URL: 'https://sign.example.org/',
        SMTP_URL: 'smtp://127.0.0.1:1025',
        SOURCE_BURST_LIMIT: '5',
      },
      helpers,
    );
    expect(config.port).toBe(8080);
    expect(config.workers).toBe(false);
    expect(config.adminTokenHash).toEqual(Buffer.from('hash:a-long-enough-admin-token'));
    expect(config.dataEncryptionKey).toEqual(Buffer.alloc(32, 1));
    expect(config.dataEncryptionKeyGenerated).toBe(false);
    expect(config.publicBaseUrl).toBe('https://sign.example.org');
    expect(config.sourceBurstLimit).toBe(5);
  });

  it('names each bad variable, all at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      WORKERS: 'maybe',
      DATABASE_URL: 'mysql://x/y',
      REDIS_URL: 'not a url',
      DATA_ENCRYPTION_KEY: 'c2hvcnQ=',
      SOURCE_BURST_LIMIT: '0',
    });
    const named = problems.map((p) => p.split(' ')[0]).sort();
    expect(named).toEqual(
      [
        'DATABASE_URL',
        'DATA_ENCRYPTION_KEY',
        'PORT',
        'REDIS_URL',
        'SOURCE_BURST_LIMIT',
        'WORKERS',
      ].sort(),
    );
  });

  it('requires the secrets in production and says which are missing', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      ADMIN_TOKEN: 'a-long-enough-admin-token',
    });
    expect(problems).toEqual([
      'DATA_ENCRYPTION_KEY is required when NODE_ENV=production',
      'SMTP_URL is required when NODE_ENV=production',
    ]);
    expect(
      problemsOf({
        NODE_ENV: 'production',
        ADMIN_TOKEN: 'a-long-enough-admin-token',
        DATA_ENCRYPTION_KEY: KEY,
        SMTP_URL: 'smtps://mail.example.org',
      }),
    ).toEqual([]);
  });

  it('never uses the development key in production', () => {
    let asked = 0;
    const developmentKey = (): Buffer => {
      asked++;
      return Buffer.alloc(32);
    };
    expect(() => loadConfig({ NODE_ENV: 'production' }, { ...helpers, developmentKey })).toThrow(
      ConfigError,
    );
    expect(asked).toBe(0);
  });

  it('refuses a short admin token', () => {
    expect(problemsOf({ ADMIN_TOKEN: 'short' })).toEqual([
      'ADMIN_TOKEN must be at least 16 characters long',
    ]);
  });
});

describe('loadConfig: metrics, sign queue and job retries', () => {
  it('has defaults: no metrics token, no worker metrics port, 2000 waiting signs, 8 tries, 5 revivals', () => {
    expect(loadConfig({}, helpers)).toMatchObject({
      metricsTokenHash: null,
      workerMetricsPort: null,
      signQueueLimit: 2000,
      jobAttempts: 8,
      sweepMaxRevivals: 5,
    });
  });

  it('reads them, keeping only the hash of the metrics token', () => {
    const config = loadConfig(
      {
        METRICS_TOKEN: 'a-long-enough-metrics-token',
        WORKER_METRICS_PORT: '9464',
        SIGN_QUEUE_LIMIT: '10',
        JOB_ATTEMPTS: '3',
        SWEEP_MAX_REVIVALS: '0',
      },
      helpers,
    );
    expect(config).toMatchObject({
      metricsTokenHash: Buffer.from('hash:a-long-enough-metrics-token'),
      workerMetricsPort: 9464,
      signQueueLimit: 10,
      jobAttempts: 3,
      sweepMaxRevivals: 0,
    });
  });

  it('names each bad one', () => {
    expect(
      problemsOf({
        METRICS_TOKEN: 'short',
        WORKER_METRICS_PORT: 'http',
        SIGN_QUEUE_LIMIT: '0',
        JOB_ATTEMPTS: '101',
      }),
    ).toEqual([
      'METRICS_TOKEN must be 16 to 512 characters, without spaces',
      'JOB_ATTEMPTS must be a whole number from 1 to 100 (got "101")',
      'SIGN_QUEUE_LIMIT must be a whole number from 1 to 1000000 (got "0")',
      'WORKER_METRICS_PORT must be a whole number from 0 to 65535 (got "http")',
    ]);
  });

  it('reads earlier keys, and names a bad one by its place, never its value', () => {
    const previous = [Buffer.alloc(32, 2), Buffer.alloc(32, 3)].map((k) => k.toString('base64'));
    const config = loadConfig(
      { DATA_ENCRYPTION_KEY: KEY, PREVIOUS_DATA_ENCRYPTION_KEYS: ` ${previous.join(' , ')} ` },
      helpers,
    );
    expect(config.previousDataEncryptionKeys).toEqual([Buffer.alloc(32, 2), Buffer.alloc(32, 3)]);
    expect(config).toMatchObject({ retentionDays: 180, retentionSweepIntervalSeconds: 3600 });
    expect(loadConfig({}, helpers).previousDataEncryptionKeys).toEqual([]);

    const secretish = 'c2hvcnQ=';
    const problems = problemsOf({
      DATA_ENCRYPTION_KEY: KEY,
      PREVIOUS_DATA_ENCRYPTION_KEYS: `${previous[0]},${secretish},${KEY},${previous[0]}`,
    });
    expect(problems).toEqual([
      'PREVIOUS_DATA_ENCRYPTION_KEYS entry 2 must be exactly 32 bytes, base64-encoded (entries are separated by commas)',
      'PREVIOUS_DATA_ENCRYPTION_KEYS entry 3 is the current DATA_ENCRYPTION_KEY: list only earlier keys',
      'PREVIOUS_DATA_ENCRYPTION_KEYS entry 4 repeats an earlier entry',
    ]);
    expect(problems.join(' ')).not.toContain(secretish);
    expect(problemsOf({ RETENTION_DAYS: '-1' })).toEqual([
      'RETENTION_DAYS must be a whole number from 0 to 3650 (got "-1")',
    ]);
  });
});
