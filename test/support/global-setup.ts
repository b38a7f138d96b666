import { randomBytes } from 'node:crypto';

/**
 * Once per test run: a run id that names every database and queue prefix the run creates.
 * (Jest loads this file through CommonJS, so it imports nothing from src; the migrated
 * template database is built by the first spec that needs it, see template-database.ts.)
 */
export default function globalSetup(): void {
  process.env.COUNTERSIGN_TEST_RUN = `cs_test_${randomBytes(5).toString('hex')}`;
}
