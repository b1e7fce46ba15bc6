import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A schedule's slot may run a drift check instead of, or after, its backup (issue 12). */
export class AddScheduleAction1768200000000 implements MigrationInterface {
  name = 'AddScheduleAction1768200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE run_service.backup_schedules ADD COLUMN action text NOT NULL DEFAULT 'backup'`);
    await runner.query(
      `ALTER TABLE run_service.backup_schedules ADD CONSTRAINT backup_schedules_action_check CHECK (action IN ('backup', 'drift_check', 'backup_then_drift_check'))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE run_service.backup_schedules DROP COLUMN action`);
  }
}
