import { DataSource, Migration } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source-options.js';
import { ensureDatabase } from './ensure-database.js';
import { setMigrationSecrets } from './migration-secrets.js';

/** Arbitrary, fixed: serialises migrations when several instances start at once. */
const MIGRATION_LOCK = 7_302_114;

/**
 * Creates the database if missing and applies pending migrations, each in its own transaction,
 * under an advisory lock so that replicas starting together do not race.
 */
export async function migrate(
  config: Pick<AppConfig, 'databaseUrl'> &
    Partial<Pick<AppConfig, 'dataEncryptionKey' | 'retentionDays'>>,
): Promise<Migration[]> {
  await ensureDatabase(config.databaseUrl);
  setMigrationSecrets({
    dataEncryptionKey: config.dataEncryptionKey,
    retentionDays: config.retentionDays,
  });
  const dataSource = new DataSource({
    ...dataSourceOptions(config, { poolSize: 1, applicationName: 'countersign-migrate' }),
    migrationsTransactionMode: 'each',
  });
  await dataSource.initialize();
  try {
    await dataSource.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      return await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await dataSource.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await dataSource.destroy();
  }
}
