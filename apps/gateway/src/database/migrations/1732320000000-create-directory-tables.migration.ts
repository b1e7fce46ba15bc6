import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, tenants and memberships: who may see and start what, in which tenant. */
export class CreateDirectoryTables1732320000000 implements MigrationInterface {
  name = 'CreateDirectoryTables1732320000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TYPE "gateway"."membership_role" AS ENUM ('reader', 'operator', 'owner')`);
    await runner.query(`
      CREATE TABLE "gateway"."users" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "email" varchar(320) NOT NULL,
        "display_name" varchar(200),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "users_email_key" UNIQUE ("email"),
        CONSTRAINT "users_email_lower_case" CHECK ("email" = lower("email"))
      )`);
    await runner.query(`
      CREATE TABLE "gateway"."tenants" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "display_name" varchar(200) NOT NULL,
        "directory_id" uuid NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "tenants_directory_id_key" UNIQUE ("directory_id")
      )`);
    await runner.query(`
      CREATE TABLE "gateway"."memberships" (
        "user_id" uuid NOT NULL REFERENCES "gateway"."users" ("id") ON DELETE CASCADE,
        "tenant_id" uuid NOT NULL REFERENCES "gateway"."tenants" ("id") ON DELETE CASCADE,
        "role" "gateway"."membership_role" NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("user_id", "tenant_id")
      )`);
    await runner.query(`CREATE INDEX "memberships_tenant_id_idx" ON "gateway"."memberships" ("tenant_id")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "gateway"."memberships"`);
    await runner.query(`DROP TABLE "gateway"."tenants"`);
    await runner.query(`DROP TABLE "gateway"."users"`);
    await runner.query(`DROP TYPE "gateway"."membership_role"`);
  }
}
