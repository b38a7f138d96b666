import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { type CpuGroups, cpuShare } from './cpu-share.js';
import { bullmqNoopRate, httpHelloRate, pgInsertRate } from './raw-baselines.js';

/**
 * `npm run bench` (`-- --quick` for a smoke run under a minute that asserts nothing): measures
 * the compiled service, with its workers, against raw baselines taken in the same run on the same
 * machine, and writes bench/results/latest.json. See README, Performance.
 */
const quick = process.argv.includes('--quick');
/** `--profile`: the service writes a V8 CPU profile to bench/results/profile/ when it stops. */
const profile = process.argv.includes('--profile');
/** `--seconds=N` overrides the length of each timed phase, e.g. for a profile. */
const secondsArg = process.argv.find((arg) => arg.startsWith('--seconds='));
const P = {
  connections: 64,
  seconds: secondsArg ? Number(secondsArg.slice('--seconds='.length)) : quick ? 3 : 20,
  growthRows: quick ? 20_000 : 1_000_000,
  registerEntries: quick ? 1_000 : 10_000,
  noopJobs: quick ? 5_000 : 50_000,
};
/** Each run has a database and a queue prefix of its own, removed at its end: runs never collide. */
const RUN = randomBytes(4).toString('hex');
const DB = `countersign_bench_${RUN}`;
const PREFIX = `countersign-bench-${RUN}`;
const PORT = 3900 + Math.floor(Math.random() * 90);
const ADMIN_TOKEN = `bench-admin-${randomBytes(8).toString('hex')}`;
const server = new URL(
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/countersign',
);
const dbUrl = withDatabase(server, DB);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const base = `http://127.0.0.1:${PORT}`;

function withDatabase(url: URL, name: string): string {
  const copy = new URL(url);
  copy.pathname = `/${name}`;
  return copy.toString();
}

const FIRST = [
  'Anna',
  'Boris',
  'Vera',
  'Gleb',
  'Daria',
  'Egor',
  'Inna',
  'Kirill',
  'Lidia',
  'Matvei',
];
/** A unique letters-only surname per number, so names pass the name check and match the register. */
function surname(n: number): string {
  let s = '';
  let x = n + 26 * 26;
  while (x > 0) {
    s = String.fromCharCode(97 + (x % 26)) + s;
    x = Math.floor(x / 26);
  }
  return `${s[0].toUpperCase()}${s.slice(1)}ova`;
}
const person = (n: number) => ({
  fullName: `${FIRST[n % FIRST.length]} ${surname(n)}`,
  district: `District ${n % 40}`,
});

/**
 * Signers per source: a household or an office behind one address. Far below the default limits
 * (RATE_LIMIT_SIGN 60 per petition, RATE_LIMIT_SIGN_ALL 600) and the source-burst check's 20.
 */
const SIGNERS_PER_SOURCE = 4;

/**
 * The client address of signer `i`, sent as X-Forwarded-For (the service trusts loopback): a
 * source per SIGNERS_PER_SOURCE signers, one source in four an IPv6 /64 whose signers each have
 * an address of their own in it, the rest IPv4.
 */
function sourceAddress(i: number): string {
  const source = Math.floor(i / SIGNERS_PER_SOURCE);
  if (source % 4 === 3) {
    const net = Math.floor(source / 4);
    const hex = (x: number) => x.toString(16);
    return `2001:db8:${hex((net >>> 16) & 0xffff)}:${hex(net & 0xffff)}::${hex(1 + (i % SIGNERS_PER_SOURCE))}`;
  }
  return `10.${(source >>> 16) & 255}.${(source >>> 8) & 255}.${source & 255}`;
}

/** The service's settings with the abuse limits off, for the sign phase they are compared with. */
const LIMITS_OFF = {
  RATE_LIMIT_SIGN: '0/600',
  RATE_LIMIT_SIGN_ALL: '0/3600',
  RATE_LIMIT_SIGNER_TOKEN: '0/60',
  RATE_LIMIT_SIGN_IN: '0/900',
  MAIL_LIMIT_PER_ADDRESS: '0/86400',
};
/** Signer numbers of each sign phase start here: distinct emails and sources in every phase. */
const OFFSETS = { limitsOff: 20_000_000, intake: 0, backlog: 5_000_000, growth: 10_000_000 };

async function main(): Promise<void> {
  log(`Countersign benchmark${quick ? ' (quick: smoke run, figures not meaningful)' : ''}`);
  log(`database ${DB}, queue prefix ${PREFIX} (removed at the end)`);
  await createDatabase();

  log('raw baselines…');
  const insertCpu = cpuShare(-1);
  const insertPerSec = await pgInsertRate(dbUrl, P.connections, P.seconds);
  const insertCores = insertCpu.stop();
  const bullmqNoopPerSec = await bullmqNoopRate(redisUrl, `${PREFIX}-raw`, P.noopJobs);
  const httpHello = await httpHelloRate(P.connections, P.seconds);
  const httpHelloPerSec = httpHello.perSec;

  // First, sign intake with the rate limits off, on a fresh process: the figure the limits are
  // judged against. It runs first so that the intake with the limits on (below) finds the larger
  // table, which if anything counts against the limits.
  log('starting the compiled service with the rate limits off…');
  let service = startService(LIMITS_OFF);
  let ctx: Context;
  let limitsOff: PhaseResult;
  let limitsOffCores: CpuGroups;
  try {
    await waitForHealth(service);
    ctx = await seed();
    log(`sign intake, rate limits off: ${P.connections} connections for ${P.seconds} s…`);
    const cpu = cpuShare(service.pid!);
    limitsOff = await signPhase(ctx.limitsOffPetitionId, OFFSETS.limitsOff, false);
    limitsOffCores = cpu.stop();
    await waitUntilDrained(ctx.limitsOffPetitionId, Date.now());
    await waitUntilMailed(ctx.limitsOffPetitionId);
  } finally {
    await stopService(service);
  }

  log('starting the compiled service (API + workers, rate limits on)…');
  service = startService();
  try {
    await waitForHealth(service);

    log(`sign intake: ${P.connections} connections for ${P.seconds} s…`);
    const signCpu = cpuShare(service.pid!);
    const intake = await signPhase(ctx.petitionId, OFFSETS.intake, true);
    const signCores = signCpu.stop();

    log('verification while signing…');
    const signingDrainSeconds = await waitUntilDrained(ctx.petitionId, intake.startedAt);
    const lagAfterIntakeMs = intake.startedAt + signingDrainSeconds * 1000 - intake.endedAt;

    await waitUntilMailed(ctx.petitionId);

    log('count reads…');
    const reads = await readPhase(service, `/v1/petitions/${ctx.petitionId}/counts`);

    log('petition page reads…');
    const { slug } = await api('GET', `/v1/petitions/${ctx.petitionId}`);
    const pages = await readPhase(service, `/petitions/${slug as string}`);

    log('verification drain of a backlog (verification paused while signers sign, then resumed)…');
    await waitUntilMailed(ctx.petitionId);
    const backlog = await drainBacklog(service, ctx.petitionId);

    await waitUntilMailed(ctx.petitionId);
    log(`growth: ${P.growthRows.toLocaleString('en')} signatures already in the table…`);
    await fillTable(ctx.otherPetitionId, P.growthRows);
    const grown = await signPhase(ctx.petitionId, OFFSETS.growth, false);
    await waitUntilDrained(ctx.petitionId, Date.now());

    const rssMb = peakRssMb(service);
    const results = {
      machine: machine(),
      quick,
      parameters: P,
      raw: { insertPerSec, bullmqNoopPerSec, httpHelloPerSec },
      sign: {
        perSec: intake.perSec,
        p50Ms: intake.p50,
        p99Ms: intake.p99,
        errors: intake.errors,
        accepted: intake.accepted,
      },
      /** The same intake on a service started with every rate limit off (`0/…`). */
      signLimitsOff: {
        perSec: limitsOff.perSec,
        p50Ms: limitsOff.p50,
        p99Ms: limitsOff.p99,
        errors: limitsOff.errors,
        accepted: limitsOff.accepted,
      },
      drain: {
        perSec: backlog.perSec,
        backlog: backlog.signatures,
        seconds: backlog.seconds,
        /** With verification running during the sign phase: how far behind the intake it ended. */
        whileSigning: {
          lagAfterIntakeMs,
          perSecFromIntakeStart: intake.accepted / signingDrainSeconds,
        },
      },
      countReads: {
        perSec: reads.perSec,
        p99Ms: reads.p99Ms,
        errors: reads.errors,
        maxStalenessMs: intake.maxStalenessMs,
      },
      /** GET /petitions/{slug}: the rendered page, each with its own anti-forgery token. */
      pageReads: {
        perSec: pages.perSec,
        p99Ms: pages.p99Ms,
        errors: pages.errors,
      },
      growth: {
        rowsBefore: P.growthRows,
        p50EmptyMs: intake.p50,
        p99EmptyMs: intake.p99,
        p50At1MMs: grown.p50,
        p99At1MMs: grown.p99,
        perSecAt1M: grown.perSec,
      },
      rssMb,
      /** Cores each process group kept busy in each phase (the machine has os.cpus().length). */
      coresBusy: {
        rawInsert: insertCores,
        /** "service" is the node:http server here. */
        httpHello: httpHello.cores,
        sign: signCores,
        signLimitsOff: limitsOffCores,
        drain: backlog.cores,
        countReads: reads.cores,
        pageReads: pages.cores,
      },
      /**
       * CPU time per operation on the whole machine (µs, all process groups): what one raw
       * INSERT costs against what one accepted signature costs, verification and mail included.
       */
      cpuMicrosPerOp: {
        rawInsert: cpuMicros(insertCores, insertPerSec),
        signature: cpuMicros(signCores, intake.perSec),
        signatureLimitsOff: cpuMicros(limitsOffCores, limitsOff.perSec),
      },
      ratios: {
        signVsInsert: intake.perSec / insertPerSec,
        signLimitsOnVsOff: intake.perSec / limitsOff.perSec,
        drainVsSign: backlog.perSec / intake.perSec,
        countReadsVsHttp: reads.perSec / httpHelloPerSec,
        pageReadsVsHttp: pages.perSec / httpHelloPerSec,
        p99GrowthAt1M: grown.p99 / intake.p99,
      },
    };
    report(results);
  } finally {
    await stopService(service);
  }
}

interface ReadResult {
  perSec: number;
  p99Ms: number;
  errors: number;
  /** Cores each process group kept busy meanwhile. */
  cores: CpuGroups;
}

/**
 * A read phase: GET `path` on P.connections connections for P.seconds, with the same load
 * generator and settings as the node:http baseline, so that its rate compares with that one.
 */
async function readPhase(service: ChildProcess, path: string): Promise<ReadResult> {
  const cpu = cpuShare(service.pid!);
  const result = await autocannon({
    url: `${base}${path}`,
    connections: P.connections,
    duration: P.seconds,
  });
  const cores = cpu.stop();
  return {
    perSec: result.requests.total / P.seconds,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
    cores,
  };
}

/**
 * Microseconds of CPU per operation, per group and in total, from cores busy and a rate. What
 * other processes used is not the operation's.
 */
function cpuMicros(cores: CpuGroups, perSec: number): CpuGroups {
  const per = Object.fromEntries(
    Object.entries(cores)
      .filter(([group]) => group !== 'other')
      .map(([group, busy]) => [group, Math.round((busy / perSec) * 1e6)]),
  );
  return { ...per, total: Object.values(per).reduce((a, b) => a + b, 0) };
}

/** SIGTERM, and wait (up to 10 s) for the clean exit, which is also when a profile is written. */
async function stopService(service: ChildProcess): Promise<void> {
  if (service.exitCode !== null || service.signalCode !== null) return;
  const exited = new Promise((resolve) => service.once('exit', resolve));
  service.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

interface Context {
  petitionId: string;
  limitsOffPetitionId: string;
  otherPetitionId: string;
}

async function seed(): Promise<Context> {
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const organiser = await api('POST', '/v1/accounts', admin, {
    email: 'bench-organiser@example.test',
    displayName: 'Bench organiser',
    role: 'organiser',
  });
  const moderator = await api('POST', '/v1/accounts', admin, {
    email: 'bench-moderator@example.test',
    displayName: 'Bench moderator',
    role: 'moderator',
  });
  const asOrganiser = { authorization: `Bearer ${organiser.token as string}` };
  const asModerator = { authorization: `Bearer ${moderator.token as string}` };
  const register = await api('POST', '/v1/registers', asModerator, { name: 'Bench register' });
  await api('PUT', `/v1/registers/${register.id as string}/entries`, asModerator, {
    entries: Array.from({ length: P.registerEntries }, (_, n) => person(n)),
  });
  const open = async (title: string, registerId: string | null) => {
    const petition = await api('POST', '/v1/petitions', asOrganiser, {
      title,
      body: 'A petition for the benchmark.',
      addressee: 'Nobody',
      requireEmailConfirmation: false,
      registerId,
    });
    await api('POST', `/v1/petitions/${petition.id as string}/submit`, asOrganiser);
    await api('POST', `/v1/moderation/petitions/${petition.id as string}/decision`, asModerator, {
      decision: 'approve',
    });
    return petition.id as string;
  };
  return {
    petitionId: await open('Benchmark petition', register.id as string),
    limitsOffPetitionId: await open('Benchmark petition, limits off', register.id as string),
    otherPetitionId: await open('Benchmark filler petition', null),
  };
}

interface PhaseResult {
  perSec: number;
  p50: number;
  p99: number;
  errors: number;
  accepted: number;
  startedAt: number;
  endedAt: number;
  maxStalenessMs: number;
}

/**
 * Unique signers, from many sources (see sourceAddress), for P.seconds; optionally polls the
 * counts to see how far behind they are.
 */
async function signPhase(
  petitionId: string,
  offset: number,
  watchCounts: boolean,
): Promise<PhaseResult> {
  let n = offset;
  const acks: number[] = [];
  const startedAt = Date.now();
  let maxStalenessMs = 0;
  let polling = watchCounts;
  const poller = (async () => {
    while (polling) {
      const counts = (await api('GET', `/v1/petitions/${petitionId}/counts`)) as Record<
        string,
        number
      >;
      const total = [
        'unconfirmed',
        'pending',
        'needsReview',
        'verified',
        'rejected',
        'withdrawn',
        'expired',
      ]
        .map((k) => counts[k])
        .reduce((a, b) => a + b, 0);
      // The oldest accepted signature the counts do not show yet: how long ago was it accepted?
      if (acks.length > total) maxStalenessMs = Math.max(maxStalenessMs, Date.now() - acks[total]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const result = await autocannon({
    url: `${base}/v1/petitions/${petitionId}/signatures`,
    connections: P.connections,
    duration: P.seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => {
          const i = n++;
          const who = person(i % P.registerEntries);
          return {
            ...request,
            headers: { ...request.headers, 'x-forwarded-for': sourceAddress(i) },
            body: JSON.stringify({ ...who, email: `bench-${i}@example.test` }),
          };
        },
        onResponse: (status) => {
          if (status === 202) acks.push(Date.now());
        },
      },
    ],
  });
  const endedAt = Date.now();
  polling = false;
  await poller;
  return {
    perSec: result['2xx'] / P.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
    accepted: result['2xx'],
    startedAt,
    endedAt,
    maxStalenessMs,
  };
}

/**
 * Verification's own speed: the verification queue is paused (BullMQ, across all workers) while
 * signers sign for P.seconds, so a backlog of pending signatures builds up; then it is resumed
 * and timed until none is pending. The sign phase that counts, above, ran with verification on.
 */
async function drainBacklog(
  service: ChildProcess,
  petitionId: string,
): Promise<{ perSec: number; signatures: number; seconds: number; cores: CpuGroups }> {
  const url = new URL(redisUrl);
  const verification = new Queue('verification', {
    connection: { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null },
    prefix: PREFIX,
  });
  try {
    await verification.pause();
    await signPhase(petitionId, 5_000_000, false);
    const { rows } = await query(
      `SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1 AND status = 'pending'`,
      [petitionId],
    );
    const signatures = (rows[0] as { n: number }).n;
    const cpu = cpuShare(service.pid!);
    const resumedAt = Date.now();
    await verification.resume();
    const seconds = await waitUntilDrained(petitionId, resumedAt);
    return { perSec: signatures / seconds, signatures, seconds, cores: cpu.stop() };
  } finally {
    await verification.resume();
    await verification.close();
  }
}

/** Until every receipt mail of the petition is out, so that the next phase does not share the machine with them. */
async function waitUntilMailed(petitionId: string): Promise<void> {
  const deadline = Date.now() + 15 * 60_000;
  while (Date.now() < deadline) {
    const { rows } = await query(
      `SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1 AND token_encrypted IS NOT NULL`,
      [petitionId],
    );
    if ((rows[0] as { n: number }).n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('receipt mails were still owed after 15 minutes');
}

async function waitUntilDrained(petitionId: string, since: number): Promise<number> {
  const deadline = Date.now() + 15 * 60_000;
  while (Date.now() < deadline) {
    const { rows } = await query(
      `SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1 AND status = 'pending'`,
      [petitionId],
    );
    if ((rows[0] as { n: number }).n === 0) return (Date.now() - since) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('signatures were still pending after 15 minutes');
}

/** Verified signatures written straight into the table, as a large old petition would leave. */
async function fillTable(petitionId: string, rows: number): Promise<void> {
  for (let done = 0; done < rows; done += 100_000) {
    const n = Math.min(100_000, rows - done);
    await query(
      `WITH ins AS (
         INSERT INTO signatures (petition_id, status, origin, full_name, name_key, district,
                                 created_at, updated_at, verified_at)
         SELECT $1, 'verified', 'import', 'Filler Person', 'filler person', 'District ' || (g % 40),
                now(), now(), now()
           FROM generate_series(1, $2) AS g
         RETURNING petition_id
       )
       INSERT INTO petition_count_shards AS c (petition_id, shard, verified)
       SELECT $1, 0, count(*) FROM ins
       ON CONFLICT (petition_id, shard) DO UPDATE SET verified = c.verified + EXCLUDED.verified`,
      [petitionId, n],
    );
  }
  await query('ANALYZE signatures', []);
}

/** The arguments `npm run start:prod` gives node (its flags and the entry file), read from package.json. */
function startProdArgs(): string[] {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
    scripts: Record<string, string>;
  };
  const [command, ...args] = pkg.scripts['start:prod'].split(/\s+/);
  if (command !== 'node') throw new Error('start:prod is expected to run node');
  return args.map((arg) => (arg.startsWith('-') ? arg : path.resolve(arg)));
}

/** The compiled service on PORT; `env` adds to (or overrides) its settings. */
function startService(env: Record<string, string> = {}): ChildProcess {
  const flags = profile ? ['--cpu-prof', '--cpu-prof-dir=bench/results/profile'] : [];
  const child = spawn(process.execPath, [...flags, ...startProdArgs()], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      // The load generator is on loopback and says who each signer is in X-Forwarded-For.
      TRUST_PROXY: 'loopback',
      PORT: String(PORT),
      DATABASE_URL: dbUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: PREFIX,
      ADMIN_TOKEN,
      WORKERS: 'on',
      LOG_LEVEL: 'warn',
      SMTP_URL: '',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

function peakRssMb(service: ChildProcess): number {
  const status = readFileSync(`/proc/${service.pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

async function waitForHealth(service: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (service.exitCode !== null) throw new Error(`the service exited with ${service.exitCode}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the service did not become healthy within 60 s');
}

async function api(
  method: string,
  route: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

let pool: pg.Pool | null = null;
function query(sql: string, params: unknown[]) {
  pool ??= new pg.Pool({ connectionString: dbUrl, max: 2 });
  return pool.query(sql, params);
}

async function createDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: withDatabase(server, 'postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
}

/** Drops this run's database and deletes its Redis keys (queues, rate limits, raw baseline). */
async function cleanUp(): Promise<void> {
  await pool?.end();
  pool = null;
  const admin = new pg.Client({ connectionString: withDatabase(server, 'postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.end();
  const redis = new Redis(redisUrl);
  for (const pattern of [`${PREFIX}:*`, `${PREFIX}-raw:*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  }
  redis.disconnect();
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

function log(message: string): void {
  console.log(message);
}

function report(r: {
  raw: Record<string, number>;
  sign: Record<string, number>;
  signLimitsOff: Record<string, number>;
  drain: { perSec: number; whileSigning: Record<string, number> };
  countReads: Record<string, number>;
  pageReads: Record<string, number>;
  growth: Record<string, number>;
  rssMb: number;
  coresBusy: Record<string, Record<string, number>>;
  cpuMicrosPerOp: Record<string, Record<string, number>>;
  ratios: Record<string, number>;
  machine: string;
}): void {
  const f = (x: number, digits = 0) => x.toLocaleString('en', { maximumFractionDigits: digits });
  const rows: Array<[string, string, string, string]> = [
    ['raw: pg single-row INSERT tx/s', f(r.raw.insertPerSec), '', ''],
    ['raw: BullMQ no-op jobs/s', f(r.raw.bullmqNoopPerSec), '', ''],
    ['raw: node:http hello req/s', f(r.raw.httpHelloPerSec), '', ''],
    [
      'sign intake accepted/s',
      f(r.sign.perSec),
      `${f(r.ratios.signVsInsert * 100, 1)} % of INSERT`,
      '≥ 25 %',
    ],
    ['sign p50 / p99 ms', `${f(r.sign.p50Ms, 1)} / ${f(r.sign.p99Ms, 1)}`, '', 'p99 < 50'],
    [
      'sign errors (limits on / off)',
      `${f(r.sign.errors)} / ${f(r.signLimitsOff.errors)}`,
      '',
      '0',
    ],
    [
      'sign intake accepted/s, rate limits off',
      f(r.signLimitsOff.perSec),
      `limits on: ${f(r.ratios.signLimitsOnVsOff * 100, 1)} % of off`,
      '≥ 90 %',
    ],
    [
      'sign p50 / p99 ms, rate limits off',
      `${f(r.signLimitsOff.p50Ms, 1)} / ${f(r.signLimitsOff.p99Ms, 1)}`,
      '',
      '',
    ],
    [
      'verification drain of a backlog, decided/s',
      f(r.drain.perSec),
      `${f(r.ratios.drainVsSign * 100, 1)} % of sign`,
      '≥ 100 %',
    ],
    ['verification behind intake at its end, ms', f(r.drain.whileSigning.lagAfterIntakeMs), '', ''],
    [
      'count reads req/s',
      f(r.countReads.perSec),
      `${f(r.ratios.countReadsVsHttp * 100, 1)} % of http`,
      '≥ 50 %',
    ],
    ['counts max staleness ms', f(r.countReads.maxStalenessMs), '', '≈ 2000'],
    [
      'petition page reads req/s',
      f(r.pageReads.perSec),
      `${f(r.ratios.pageReadsVsHttp * 100, 1)} % of http`,
      '≥ 25 %',
    ],
    [
      `sign p99 at ${f(r.growth.rowsBefore)} rows ms`,
      f(r.growth.p99At1MMs, 1),
      `${f(r.ratios.p99GrowthAt1M, 2)} × empty`,
      '≤ 1.5 ×',
    ],
    ['service peak RSS MB', f(r.rssMb), '', '< 300'],
  ];
  console.log(`\nmachine: ${r.machine}\n`);
  console.log(
    'cores busy per phase (service or node:http / postgres / redis / load generator / other processes):',
  );
  for (const [phase, groups] of Object.entries(r.coresBusy)) {
    const g = (name: string) => f(groups[name], 2);
    console.log(
      `  ${phase}: ${g('service')} / ${g('postgres')} / ${g('redis')} / ${g('loadGenerator')} / ${g('other')}`,
    );
  }
  const cpu = r.cpuMicrosPerOp;
  console.log(
    `CPU per operation, all processes: raw INSERT ${f(cpu.rawInsert.total)} µs; accepted ` +
      `signature ${f(cpu.signature.total)} µs (service ${f(cpu.signature.service)}, postgres ` +
      `${f(cpu.signature.postgres)}, redis ${f(cpu.signature.redis)}, load generator ` +
      `${f(cpu.signature.loadGenerator)}), verification and mail included`,
  );
  console.log(
    `  with the rate limits off: ${f(cpu.signatureLimitsOff.total)} µs (service ` +
      `${f(cpu.signatureLimitsOff.service)}, postgres ${f(cpu.signatureLimitsOff.postgres)}, ` +
      `redis ${f(cpu.signatureLimitsOff.redis)})`,
  );
  console.log('');
  console.log(
    [
      '| figure | value | ratio | target |',
      '|---|---:|---:|---|',
      ...rows.map((row) => `| ${row.join(' | ')} |`),
    ].join('\n'),
  );
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.json', `${JSON.stringify(r, null, 2)}\n`);
  console.log('\nwritten to bench/results/latest.json');
}

/** Stopped by hand (Ctrl-C): the service is stopped by its own SIGINT; the data still goes. */
process.once('SIGINT', () => {
  log('interrupted: removing this run’s database and Redis keys…');
  setTimeout(() => {
    cleanUp()
      .catch((error: unknown) => console.error(error))
      .finally(() => process.exit(130));
  }, 1_000);
});

main()
  .then(() => 0)
  .catch((error: unknown) => {
    console.error(error);
    return 1;
  })
  .then(async (code) => {
    await cleanUp().catch((error: unknown) => console.error('clean-up failed:', error));
    process.exit(code);
  });
