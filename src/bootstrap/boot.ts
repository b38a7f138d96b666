import type { Logger as Pino } from 'pino';
import { hashToken } from '../common/crypto/token.js';
import { createPino } from '../common/logging/logger.js';
import { AppConfig, ConfigError, loadConfig } from '../config/app-config.js';
import { DEVELOPMENT_KEY_FILE, loadOrCreateDevelopmentKey } from '../config/development-key.js';
import { migrate } from '../database/migrate.js';

/**
 * What every process does first: validate the configuration (exiting with a message that names
 * each bad variable), then create the database if missing and run pending migrations.
 */
export async function bootProcess(
  role: 'api' | 'worker',
): Promise<{ config: AppConfig; logger: Pino }> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env, {
      hashToken,
      developmentKey: () => loadOrCreateDevelopmentKey(),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createPino(config.logLevel).child({ role });
  if (config.dataEncryptionKeyGenerated) {
    logger.warn(
      { keyFile: DEVELOPMENT_KEY_FILE },
      'DATA_ENCRYPTION_KEY is not set: using a development key kept in a local file. Never do this in production.',
    );
  }
  if (!config.adminTokenHash) logger.warn('ADMIN_TOKEN is not set: no one can create accounts.');
  const applied = await migrate(config);
  if (applied.length > 0)
    logger.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  return { config, logger };
}
