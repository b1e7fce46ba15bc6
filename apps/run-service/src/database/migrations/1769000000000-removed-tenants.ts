import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Removed tenants and their retention clock. The audit trail outlives a purged tenant's runs, so its
 * run ids become plain references (no foreign key): an audit event of a purged run keeps its id.
 */
export class RemovedTenants1769000000000 implements MigrationInterface {
  name = 'RemovedTenants1769000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE run_service.removed_tenants (
        tenant_id uuid PRIMARY KEY,
        disabled_at timestamptz NOT NULL,
        purged_at timestamptz
      )`);
    await runner.query(`CREATE INDEX removed_tenants_due ON run_service.removed_tenants (disabled_at) WHERE purged_at IS NULL`);
    await runner.query(`ALTER TABLE run_service.audit_events DROP CONSTRAINT audit_events_run_id_fkey`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE run_service.audit_events ADD CONSTRAINT audit_events_run_id_fkey FOREIGN KEY (run_id) REFERENCES run_service.runs (id)`);
    await runner.query(`DROP TABLE run_service.removed_tenants`);
  }
}
