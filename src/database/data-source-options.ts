import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { AppConfig } from '../config/app-config.js';
import { ENTITIES } from './entities.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

export const DEFAULT_POOL_SIZE = 10;

/**
 * The one definition of the database connection, used by the app, the workers and the migration
 * CLI. The schema comes only from migrations: `synchronize` is off everywhere.
 */
export function dataSourceOptions(
  config: Pick<AppConfig, 'databaseUrl'>,
  overrides: { poolSize?: number; applicationName?: string } = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logging: false,
    poolSize: overrides.poolSize ?? DEFAULT_POOL_SIZE,
    applicationName: overrides.applicationName ?? 'countersign',
    extra: {
      // Fail fast when PostgreSQL is down, so requests get a 503 and /health answers within seconds.
      connectionTimeoutMillis: 3_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: 30_000,
    },
  };
}
