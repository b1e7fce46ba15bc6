import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the fleet overview (one statement over many tenants): each per-tenant "latest run of a
 * kind" is one short backward index scan, and counting active runs reads only active rows.
 */
export class CreateFleetIndexes1733000000000 implements MigrationInterface {
  name = 'CreateFleetIndexes1733000000000';

  async up(runner: QueryRunner): Promise<void> {
    // Latest finished run of a type (access check, backup, drift check) per tenant.
    await runner.query(`CREATE INDEX runs_tenant_type_finished ON run_service.runs (tenant_id, type, finished_at) WHERE finished_at IS NOT NULL`);
    // Latest failed run of any type per tenant.
    await runner.query(`CREATE INDEX runs_tenant_failed ON run_service.runs (tenant_id, finished_at) WHERE status = 'failed'`);
    // Active runs per tenant.
    await runner.query(`CREATE INDEX runs_tenant_active ON run_service.runs (tenant_id) WHERE status IN ('queued', 'running')`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX run_service.runs_tenant_active`);
    await runner.query(`DROP INDEX run_service.runs_tenant_failed`);
    await runner.query(`DROP INDEX run_service.runs_tenant_type_finished`);
  }
}
