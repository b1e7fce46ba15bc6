import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * MSP operations: a directory-wide role on users (`admin`: adds and removes tenants, manages every
 * membership), and tenants that carry tags and can be disabled (removed: no new runs, data kept).
 */
export class AddMspDirectory1732330000000 implements MigrationInterface {
  name = 'AddMspDirectory1732330000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "gateway"."users" ADD COLUMN "directory_role" text`);
    await runner.query(`ALTER TABLE "gateway"."users" ADD CONSTRAINT "users_directory_role_check" CHECK ("directory_role" IN ('admin'))`);
    await runner.query(`ALTER TABLE "gateway"."tenants" ADD COLUMN "tags" text[] NOT NULL DEFAULT '{}'`);
    await runner.query(`ALTER TABLE "gateway"."tenants" ADD COLUMN "disabled_at" timestamptz`);
    // Tenant lists are ordered by name, then id (keyset pages).
    await runner.query(`CREATE INDEX "tenants_display_name_idx" ON "gateway"."tenants" ("display_name", "id")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX "gateway"."tenants_display_name_idx"`);
    await runner.query(`ALTER TABLE "gateway"."tenants" DROP COLUMN "disabled_at"`);
    await runner.query(`ALTER TABLE "gateway"."tenants" DROP COLUMN "tags"`);
    await runner.query(`ALTER TABLE "gateway"."users" DROP CONSTRAINT "users_directory_role_check"`);
    await runner.query(`ALTER TABLE "gateway"."users" DROP COLUMN "directory_role"`);
  }
}
