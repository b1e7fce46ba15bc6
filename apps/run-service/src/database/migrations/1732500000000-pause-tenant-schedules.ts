import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A schedule is paused when the gateway disables (removes) its tenant: `paused_at` is set, and the
 * dispatcher's due index and query leave paused schedules out. Pausing is separate from `enabled`
 * (the owner's choice), so the owner's setting is kept as it was.
 */
export class PauseTenantSchedules1732500000000 implements MigrationInterface {
  name = 'PauseTenantSchedules1732500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE run_service.backup_schedules ADD COLUMN paused_at timestamptz`);
    await runner.query(`DROP INDEX run_service.backup_schedules_due`);
    await runner.query(
      `CREATE INDEX backup_schedules_due ON run_service.backup_schedules (next_run_at) WHERE enabled AND deleted_at IS NULL AND paused_at IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX run_service.backup_schedules_due`);
    await runner.query(`CREATE INDEX backup_schedules_due ON run_service.backup_schedules (next_run_at) WHERE enabled AND deleted_at IS NULL`);
    await runner.query(`ALTER TABLE run_service.backup_schedules DROP COLUMN paused_at`);
  }
}
