import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Drift reports (issue 12): one per drift.check run, one item per baseline policy and per added live object. */
export class CreateDriftReports1768200000000 implements MigrationInterface {
  name = 'CreateDriftReports1768200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE restore.drift_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        run_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        baseline_backup_set_id uuid NOT NULL,
        added integer NOT NULL DEFAULT 0,
        removed integer NOT NULL DEFAULT 0,
        changed integer NOT NULL DEFAULT 0,
        unchanged integer NOT NULL DEFAULT 0,
        drift_status text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        finished_at timestamptz,
        CONSTRAINT drift_reports_drift_status_check CHECK (drift_status IN ('none','drifted'))
      )`);
    await runner.query(`CREATE UNIQUE INDEX drift_reports_run ON restore.drift_reports (run_id)`);
    await runner.query(`CREATE INDEX drift_reports_tenant_listing ON restore.drift_reports (tenant_id, created_at DESC, id DESC)`);
    await runner.query(`
      CREATE TABLE restore.drift_items (
        report_id uuid NOT NULL,
        item_key text NOT NULL,
        tenant_id uuid NOT NULL,
        position integer NOT NULL,
        policy_type text NOT NULL,
        display_name text NOT NULL,
        live_id text,
        backup_item_id uuid,
        status text NOT NULL,
        differences jsonb NOT NULL DEFAULT '[]'::jsonb,
        CONSTRAINT drift_items_pkey PRIMARY KEY (report_id, item_key),
        CONSTRAINT drift_items_report_id_fkey FOREIGN KEY (report_id) REFERENCES restore.drift_reports (id) ON DELETE CASCADE,
        CONSTRAINT drift_items_status_check CHECK (status IN ('added','removed','changed','unchanged'))
      )`);
    await runner.query(`CREATE INDEX drift_items_page ON restore.drift_items (report_id, position)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE restore.drift_items`);
    await runner.query(`DROP TABLE restore.drift_reports`);
  }
}
