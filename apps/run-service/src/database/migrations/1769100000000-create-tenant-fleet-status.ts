import type { MigrationInterface, QueryRunner } from 'typeorm';
import { FLEET_RUN_KINDS } from '../../fleet/fleet-run-kinds.js';
import { refreshFleetStatus } from '../run-service.sql.js';

/**
 * The fleet overview's per-tenant status row, maintained as runs end, and filled from the runs there
 * are (the same statement a bench uses after writing runs straight into the table).
 */
export class CreateTenantFleetStatus1769100000000 implements MigrationInterface {
  name = 'CreateTenantFleetStatus1769100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE run_service.tenant_fleet_status (
        tenant_id uuid PRIMARY KEY,
        access_run_id uuid,
        access_at timestamptz,
        access_summary jsonb,
        backup_run_id uuid,
        backup_type text,
        backup_at timestamptz,
        backup_set_id text,
        backup_items integer,
        failed_run_id uuid,
        failed_type text,
        failed_at timestamptz,
        failed_code text,
        drift_run_id uuid,
        drift_at timestamptz,
        drift_summary jsonb
      )`);
    await refreshFleetStatus(runner, FLEET_RUN_KINDS);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE run_service.tenant_fleet_status`);
  }
}
