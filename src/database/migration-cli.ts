import { loadConfig } from '../config/app-config.js';
import { hashToken } from '../common/crypto/token.js';
import { loadOrCreateDevelopmentKey } from '../config/development-key.js';
import { migrate } from './migrate.js';

/**
 * `npm run migration:run`: applies pending migrations to DATABASE_URL and exits. The key is the
 * service's (DATA_ENCRYPTION_KEY, or in development the same key file), since a migration may
 * convert encrypted data.
 */
const config = loadConfig(process.env, {
  hashToken,
  developmentKey: () => loadOrCreateDevelopmentKey(),
});
const applied = await migrate(config);
console.log(
  applied.length === 0
    ? 'No pending migrations.'
    : `Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`,
);
