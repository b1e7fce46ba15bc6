import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When run-service first applied a run's run-finished event while item events it counts were still
 * missing: the start of that event's wait for them (worker-events/finish-wait.ts), kept across its
 * redeliveries and replicas.
 */
export class AddRunFinishReportedAt1769600000000 implements MigrationInterface {
  name = 'AddRunFinishReportedAt1769600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE run_service.runs ADD COLUMN finish_reported_at timestamptz`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE run_service.runs DROP COLUMN finish_reported_at`);
  }
}
