import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { createHttpApp } from '../src/bootstrap/http-app.js';
import { hashToken } from '../src/common/crypto/token.js';
import { createPino } from '../src/common/logging/logger.js';
import { loadOrCreateDevelopmentKey } from '../src/config/development-key.js';
import { loadConfig } from '../src/config/app-config.js';
import { quoteIdentifier } from '../src/database/ensure-database.js';
import { migrate } from '../src/database/migrate.js';
import { deputies } from './demo-people.js';

/**
 * `npm run demo`: the open letter of municipal deputies of two towns, on a fresh database
 * (`countersign_demo` on the server of DATABASE_URL, dropped and created again) with the real
 * API and workers in this process and a local SMTP server catching the mails.
 *
 * 19 deputies sign on the site and confirm by email; then "another 84 signatures have been
 * received, now we will check them": the organiser imports the paper ones and the workers check
 * them against the register of deputies. The counts are printed as they move.
 */
const DEMO_DB = 'countersign_demo';
const QUEUE_PREFIX = 'countersign-demo';

const serverUrl = new URL(
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/countersign',
);
const demoUrl = new URL(serverUrl);
demoUrl.pathname = `/${DEMO_DB}`;
const adminUrl = new URL(serverUrl);
adminUrl.pathname = '/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const mails: string[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData: (stream, _session, done) => {
    simpleParser(stream)
      .then((mail) => void mails.push(mail.text ?? ''))
      .then(() => done(), done);
  },
});

async function main(): Promise<void> {
  console.log(`Countersign demo — a fresh database "${DEMO_DB}" on ${serverUrl.host}\n`);
  await resetDatabase();
  await resetQueues();
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as { port: number }).port;

  const adminToken = `demo-admin-${randomBytes(12).toString('hex')}`;
  const config = loadConfig(
    {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: demoUrl.toString(),
      REDIS_URL: redisUrl,
      QUEUE_PREFIX,
      ADMIN_TOKEN: adminToken,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      PORT: '0',
      WORKERS: 'on',
      // Snapshots every second, so the petition page's chart shows the counts moving.
      COUNT_SNAPSHOT_INTERVAL_SECONDS: '1',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
    { hashToken, developmentKey: () => loadOrCreateDevelopmentKey() },
  );
  await migrate(config);
  const app = await createHttpApp(config, createPino(config.logLevel));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = await app.getUrl();
  const api = client(base);

  try {
    const admin = { authorization: `Bearer ${adminToken}` };
    const organiser = await api.post('/v1/accounts', admin, {
      email: 'organiser@example.org',
      displayName: 'Letter organiser',
      role: 'organiser',
    });
    const moderator = await api.post('/v1/accounts', admin, {
      email: 'moderator@example.org',
      displayName: 'Moderator',
      role: 'moderator',
    });
    const asOrganiser = { authorization: `Bearer ${organiser.token}` };
    const asModerator = { authorization: `Bearer ${moderator.token}` };

    const people = deputies(110);
    const register = await api.post('/v1/registers', asModerator, {
      name: 'Муниципальные депутаты Северограда и Южногорска',
    });
    const upload = await api.put(`/v1/registers/${register.id}/entries`, asModerator, {
      entries: people.map((p) => ({
        fullName: p.fullName,
        district: p.district,
        title: 'Депутат',
      })),
    });
    console.log(`Register of deputies: ${upload.imported} entries (version ${upload.version})`);

    const draft = await api.post('/v1/petitions', asOrganiser, {
      title: 'Открытое письмо муниципальных депутатов Северограда и Южногорска',
      body: 'Мы, муниципальные депутаты, просим сохранить городские библиотеки открытыми.',
      addressee: 'Городские советы Северограда и Южногорска',
      language: 'ru',
      registerId: register.id,
      eligibility: 'review',
    });
    await api.post(`/v1/petitions/${draft.id}/submit`, asOrganiser);
    await api.post(`/v1/moderation/petitions/${draft.id}/decision`, asModerator, {
      decision: 'approve',
    });
    console.log(
      `Petition open: ${base}/petitions/${draft.slug} (JSON: /v1/petitions/${draft.slug})\n`,
    );

    const watch = watchCounts(api, draft.id as string);

    console.log('— 19 deputies sign on the site and confirm by email —');
    const first = people.slice(0, 19);
    for (const [i, person] of first.entries()) {
      await api.post(
        `/v1/petitions/${draft.id}/signatures`,
        {},
        {
          fullName: person.fullName,
          email: `deputy${i + 1}@example.org`,
          district: person.district,
          title: 'Депутат',
          displayPublicly: true,
        },
      );
    }
    const tokens = await waitUntil('19 confirmation mails', () => {
      const found = mails.map(confirmToken).filter((t): t is string => t !== null);
      return found.length >= 19 ? found : undefined;
    });
    for (const token of tokens) await api.post('/v1/signatures/confirm', {}, { token });
    await watch.until((c) => c.verified === 19);

    console.log('\n— "Another 84 signatures have been received, now we will check them" —');
    const received = people.slice(19, 100).map((person, i) => ({
      // Some wrote their names in Latin letters, surname first.
      fullName: i % 4 === 0 ? person.latinSurnameFirst : person.fullName,
      email: `deputy${i + 20}@example.org`,
      district: person.district,
    }));
    received.push(
      {
        fullName: 'Ростислав Посторонний',
        email: 'visitor@example.org',
        district: 'Североград, округ 3',
      },
      {
        fullName: first[0].fullName,
        email: 'second.address@example.org',
        district: first[0].district,
      },
      {
        fullName: people[104].fullName,
        email: 'deputy105@mailinator.com',
        district: people[104].district,
      },
    );
    // They come in as the letters are opened: a dozen at a time.
    let accepted = 0;
    for (let i = 0; i < received.length; i += 12) {
      const batch = await api.post(`/v1/petitions/${draft.id}/signatures/import`, asOrganiser, {
        signatures: received.slice(i, i + 12),
      });
      accepted += batch.accepted as number;
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    console.log(`Imported ${accepted} received signatures; the workers check them as they come`);
    const final = await watch.until((c) => c.pending === 0 && c.verified + c.needsReview >= 103);
    watch.stop();

    console.log(
      `\nDone: ${final.verified} verified, ${final.needsReview} waiting for a moderator:`,
    );
    const db = new pg.Client({ connectionString: demoUrl.toString() });
    await db.connect();
    const review = await db.query(
      `SELECT full_name, checks FROM signatures
        WHERE petition_id = $1 AND status = 'needs_review' ORDER BY created_at`,
      [draft.id],
    );
    for (const row of review.rows as Array<{
      full_name: string;
      checks: Array<{ name: string; outcome: string; detail: string }>;
    }>) {
      const raised = row.checks.filter((c) => c.outcome !== 'pass');
      console.log(
        `  • ${row.full_name}: ${raised.map((c) => `${c.name} — ${c.detail}`).join('; ')}`,
      );
    }
    await db.end();
    const publicBase = (process.env.PUBLIC_BASE_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
    console.log(
      `\nDemo accounts (demo data only; these tokens work on "${DEMO_DB}"):\n` +
        `  admin      ${adminToken}\n` +
        `  organiser  ${organiser.token as string}\n` +
        `  moderator  ${moderator.token as string}`,
    );
    console.log(
      `\nThe data stays in "${DEMO_DB}". Run the service on it with the command below, then open\n` +
        `  ${publicBase}/petitions/${draft.slug as string}\n`,
    );
    // The last line is a command to paste as it is.
    console.log(
      `DATABASE_URL=${demoUrl} QUEUE_PREFIX=${QUEUE_PREFIX} ADMIN_TOKEN=${adminToken} npm start`,
    );
  } finally {
    await app.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }
}

interface Counts {
  unconfirmed: number;
  pending: number;
  needsReview: number;
  verified: number;
  rejected: number;
  withdrawn: number;
  expired: number;
}

/** Prints the petition's public counts every time they change. */
function watchCounts(api: ReturnType<typeof client>, petitionId: string) {
  const started = Date.now();
  let last = '';
  let latest: Counts | null = null;
  const tick = async () => {
    latest = (await api.get(`/v1/petitions/${petitionId}/counts`)) as unknown as Counts;
    const line =
      `unconfirmed ${pad(latest.unconfirmed)}  pending ${pad(latest.pending)}  ` +
      `needs review ${pad(latest.needsReview)}  verified ${pad(latest.verified)}  ` +
      `rejected ${pad(latest.rejected)}`;
    if (line !== last) {
      console.log(`  [${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);
      last = line;
    }
  };
  const timer = setInterval(() => void tick().catch(() => undefined), 250);
  return {
    until: (done: (c: Counts) => boolean) =>
      waitUntil('the counts', async () => {
        await tick();
        return latest && done(latest) ? latest : undefined;
      }),
    stop: () => clearInterval(timer),
  };
}

function pad(n: number): string {
  return String(n).padStart(3);
}

function confirmToken(text: string): string | null {
  const line = text.split('\n').find((l) => l.includes('/signatures/confirm?token='));
  return line ? new URL(line.trim()).searchParams.get('token') : null;
}

async function waitUntil<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`gave up waiting for ${what}`);
}

function client(base: string) {
  const call = async (
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    get: (path: string) => call('GET', path, {}),
    post: (path: string, headers: Record<string, string>, body?: unknown) =>
      call('POST', path, headers, body),
    put: (path: string, headers: Record<string, string>, body?: unknown) =>
      call('PUT', path, headers, body),
  };
}

async function resetDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(DEMO_DB)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

async function resetQueues(): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${QUEUE_PREFIX}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
