import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Fleet batches: one request that started the same run type in many tenants, and what it did in each. */
export class CreateFleetBatchTables1733000000000 implements MigrationInterface {
  name = 'CreateFleetBatchTables1733000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE "gateway"."fleet_batches" (
        "id" uuid PRIMARY KEY,
        "type" text NOT NULL,
        "target" jsonb NOT NULL,
        "scope" jsonb NOT NULL,
        "created_by_user_id" uuid NOT NULL,
        "created_by_email" varchar(320) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE "gateway"."fleet_batch_runs" (
        "batch_id" uuid NOT NULL REFERENCES "gateway"."fleet_batches" ("id") ON DELETE CASCADE,
        "tenant_id" uuid NOT NULL REFERENCES "gateway"."tenants" ("id") ON DELETE CASCADE,
        "outcome" text NOT NULL,
        "run_id" uuid,
        "reason_code" text,
        "reason" text,
        PRIMARY KEY ("batch_id", "tenant_id"),
        CONSTRAINT "fleet_batch_runs_outcome_check" CHECK ("outcome" IN ('started', 'reused', 'rejected')),
        CONSTRAINT "fleet_batch_runs_run_check" CHECK (("outcome" = 'rejected') = ("run_id" IS NULL))
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "gateway"."fleet_batch_runs"`);
    await runner.query(`DROP TABLE "gateway"."fleet_batches"`);
  }
}
