import pg from 'pg';
import { migrate } from '../src/database/migrate.js';
import { MIGRATIONS } from '../migrations/index.js';
import { databaseUrl, randomName, runId, SERVER_DATABASE_URL } from './support/test-env.js';

describe('migrations', () => {
  const name = randomName(runId());
  const url = databaseUrl(name);

  afterAll(async () => {
    const client = new pg.Client({ connectionString: SERVER_DATABASE_URL });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  });

  it('creates a missing database, applies every migration once, and is safe to run concurrently', async () => {
    const [first, second] = await Promise.all([
      migrate({ databaseUrl: url }),
      migrate({ databaseUrl: url }),
    ]);
    expect(first.length + second.length).toBe(MIGRATIONS.length);
    expect(await migrate({ databaseUrl: url })).toEqual([]);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining(['accounts', 'migrations', 'petition_events', 'petitions']),
      );
      const columns = await client.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'petitions'`,
      );
      for (const { column_name } of columns.rows) expect(column_name).toMatch(/^[a-z0-9_]+$/);
    } finally {
      await client.end();
    }
  });
});
