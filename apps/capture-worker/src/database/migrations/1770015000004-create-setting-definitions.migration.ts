import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Settings catalog setting definitions per tenant, captured with the policies that use them (as-built documentation). */
export class CreateSettingDefinitions1770015000004 implements MigrationInterface {
  name = 'CreateSettingDefinitions1770015000004';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE capture.setting_definitions (
        tenant_id uuid NOT NULL,
        definition_id text NOT NULL,
        definition jsonb NOT NULL,
        captured_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (tenant_id, definition_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE capture.setting_definitions`);
  }
}
