import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateScheduleAndAuditTables1732400000000 implements MigrationInterface {
  name = 'CreateScheduleAndAuditTables1732400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE run_service.backup_schedules (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        tenant_directory_id text NOT NULL,
        name text NOT NULL,
        enabled boolean NOT NULL,
        frequency text NOT NULL CHECK (frequency IN ('daily', 'weekly')),
        days_of_week text[] NOT NULL DEFAULT '{}',
        time_of_day text NOT NULL,
        time_zone text NOT NULL,
        policy_types text[] NOT NULL DEFAULT '{}',
        keep_last integer NOT NULL CHECK (keep_last >= 1),
        include_foundations boolean NOT NULL DEFAULT false,
        next_run_at timestamptz,
        created_by_user_id uuid NOT NULL,
        created_by_email text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        deleted_at timestamptz
      )`);
    await runner.query(`CREATE INDEX backup_schedules_due ON run_service.backup_schedules (next_run_at) WHERE enabled AND deleted_at IS NULL`);
    await runner.query(`CREATE INDEX backup_schedules_tenant ON run_service.backup_schedules (tenant_id, created_at DESC, id DESC)`);
    // One row per (schedule, slot): the unique key that lets several dispatchers race safely.
    await runner.query(`
      CREATE TABLE run_service.schedule_slots (
        schedule_id uuid NOT NULL REFERENCES run_service.backup_schedules (id),
        slot_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('dispatched', 'skipped')),
        reason text,
        run_id uuid REFERENCES run_service.runs (id),
        dispatched_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (schedule_id, slot_at)
      )`);
    await runner.query(`
      CREATE TABLE run_service.audit_events (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        actor_user_id uuid,
        actor text NOT NULL,
        action text NOT NULL,
        run_id uuid REFERENCES run_service.runs (id),
        schedule_id uuid,
        details jsonb NOT NULL DEFAULT '{}',
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await runner.query(`CREATE INDEX audit_events_tenant ON run_service.audit_events (tenant_id, occurred_at DESC, id DESC)`);
    await runner.query(`CREATE INDEX audit_events_run ON run_service.audit_events (run_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE run_service.audit_events`);
    await runner.query(`DROP TABLE run_service.schedule_slots`);
    await runner.query(`DROP TABLE run_service.backup_schedules`);
  }
}
