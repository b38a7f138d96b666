import { loadConfig } from '../config/app-config.js';
import { hashToken } from '../common/crypto/token.js';
import { migrate } from './migrate.js';

/** `npm run migration:run`: applies pending migrations to DATABASE_URL and exits. */
const config = loadConfig(process.env, { hashToken, developmentKey: () => Buffer.alloc(32) });
const applied = await migrate(config);
console.log(
  applied.length === 0
    ? 'No pending migrations.'
    : `Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`,
);
