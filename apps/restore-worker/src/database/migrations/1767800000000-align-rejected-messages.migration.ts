import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rename to `rejected_messages` kept the old sequence name and the `now()` default; the shared
 * entity (and every other service's table) uses `rejected_messages_id_seq` and `clock_timestamp()`.
 */
export class AlignRejectedMessages1767800000000 implements MigrationInterface {
  name = 'AlignRejectedMessages1767800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER SEQUENCE restore.rejected_commands_id_seq RENAME TO rejected_messages_id_seq`);
    await runner.query(`ALTER TABLE restore.rejected_messages ALTER COLUMN received_at SET DEFAULT clock_timestamp()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE restore.rejected_messages ALTER COLUMN received_at SET DEFAULT now()`);
    await runner.query(`ALTER SEQUENCE restore.rejected_messages_id_seq RENAME TO rejected_commands_id_seq`);
  }
}
