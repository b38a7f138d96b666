import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signatures written by one sign statement share one verification job and one mail job, keyed
 * by this id; the sweeper uses it to tell whether that job is still alive. A signature whose work
 * is later enqueued on its own (signing again) has it cleared, and is then keyed by its own id.
 */
export class WorkBatches1764400000000 implements MigrationInterface {
  name = 'WorkBatches1764400000000';

  async up(db: QueryRunner): Promise<void> {
    // Adding a nullable column is instant, but it needs a moment's exclusive lock: rather fail (and
    // retry at the next start) than queue every sign behind a long transaction.
    await db.query(`SET LOCAL lock_timeout = '10s'`);
    await db.query(`ALTER TABLE signatures ADD COLUMN work_batch uuid`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE signatures DROP COLUMN work_batch`);
  }
}
