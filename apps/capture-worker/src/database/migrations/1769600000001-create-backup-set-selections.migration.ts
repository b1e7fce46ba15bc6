import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The selection of each backup run, recorded by its first delivery (a listing per type, the policies
 * chosen by id): a redelivered run finishes exactly that selection instead of listing the tenant again.
 */
export class CreateBackupSetSelections1769600000001 implements MigrationInterface {
  name = 'CreateBackupSetSelections1769600000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE capture.backup_set_selections (
        run_id uuid NOT NULL,
        part text NOT NULL,
        tenant_id uuid NOT NULL,
        backup_set_id uuid NOT NULL CONSTRAINT backup_set_selections_backup_set_id_fkey REFERENCES capture.backup_sets (id) ON DELETE CASCADE,
        policy_ids uuid[] NOT NULL,
        problem jsonb,
        selected_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (run_id, part)
      )`);
    // The cascade from a removed set (retention, tenant purge) finds its selections by the set.
    await runner.query(`CREATE INDEX backup_set_selections_set ON capture.backup_set_selections (backup_set_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE capture.backup_set_selections`);
  }
}
