import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a start or schedule creation sent with an Idempotency-Key did, under the gateway's anchor for
 * that key: the run it started (or the active run it reused) or the schedule it made. Written in the
 * transaction that creates the run or schedule, so a retry after a lost answer finds it even after the
 * run ended (the active-run de-duplication key no longer does). Rows go with their run or schedule.
 */
export class CreateIdempotencyAnchors1769400000000 implements MigrationInterface {
  name = 'CreateIdempotencyAnchors1769400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE run_service.idempotency_anchors (
        tenant_id uuid NOT NULL,
        anchor uuid NOT NULL,
        run_id uuid REFERENCES run_service.runs (id) ON DELETE CASCADE,
        reused boolean NOT NULL DEFAULT false,
        schedule_id uuid REFERENCES run_service.backup_schedules (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (tenant_id, anchor),
        CONSTRAINT idempotency_anchors_one_target_check CHECK (num_nonnulls(run_id, schedule_id) = 1)
      )`);
    await runner.query(`CREATE INDEX idempotency_anchors_run ON run_service.idempotency_anchors (run_id) WHERE run_id IS NOT NULL`);
    await runner.query(`CREATE INDEX idempotency_anchors_schedule ON run_service.idempotency_anchors (schedule_id) WHERE schedule_id IS NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE run_service.idempotency_anchors`);
  }
}
