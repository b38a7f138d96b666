import pg from 'pg';
import { migrate } from '../../src/database/migrate.js';
import { databaseUrl, SERVER_DATABASE_URL } from './test-env.js';

/**
 * The run's template database with every migration applied, built once by whichever spec asks
 * first (specs run in parallel processes; an advisory lock makes the others wait for it).
 */
export async function ensureTemplateDatabase(runId: string): Promise<string> {
  const template = `${runId}_template`;
  const client = new pg.Client({ connectionString: SERVER_DATABASE_URL });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount === 0) {
      await migrate({ databaseUrl: databaseUrl(template) });
    }
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [template]);
  } finally {
    await client.end();
  }
  return template;
}
