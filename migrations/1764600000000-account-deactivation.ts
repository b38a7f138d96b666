import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts can be deactivated: `deactivated_at` is set once and kept, so the account's petitions,
 * decisions and events keep pointing at a row that says who it was and since when it is gone.
 * The index serves the admins' account list, newest first, keyset-paginated on (created_at, id).
 */
export class AccountDeactivation1764600000000 implements MigrationInterface {
  name = 'AccountDeactivation1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE accounts ADD COLUMN deactivated_at timestamptz`);
    await db.query(`CREATE INDEX accounts_created_idx ON accounts (created_at DESC, id DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX accounts_created_idx`);
    await db.query(`ALTER TABLE accounts DROP COLUMN deactivated_at`);
  }
}
