import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A backup item records the display names of what its version references (groups, scope tags,
 * assignment filters, notification templates) so a restore into another tenant can map them by name.
 * Items captured before have none (`{}`): their references are reported as names not captured.
 */
export class AddBackupItemReferenceNames1768100000000 implements MigrationInterface {
  name = 'AddBackupItemReferenceNames1768100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE capture.backup_items ADD COLUMN reference_names jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE capture.backup_items DROP COLUMN reference_names`);
  }
}
