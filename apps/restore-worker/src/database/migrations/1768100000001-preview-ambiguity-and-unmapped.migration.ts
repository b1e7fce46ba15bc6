import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A preview item may be `ambiguous` (no single live object to restore onto; `ambiguity` names the
 * candidates) and lists the references the target tenant cannot resolve (`unmapped`).
 */
export class PreviewAmbiguityAndUnmapped1768100000001 implements MigrationInterface {
  name = 'PreviewAmbiguityAndUnmapped1768100000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE restore.preview_items DROP CONSTRAINT preview_items_action_check`);
    await runner.query(`ALTER TABLE restore.preview_items ADD CONSTRAINT preview_items_action_check CHECK (action IN ('create','update','no_change','skipped','ambiguous'))`);
    await runner.query(`ALTER TABLE restore.preview_items ADD COLUMN ambiguity jsonb, ADD COLUMN unmapped jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE restore.preview_items DROP COLUMN unmapped, DROP COLUMN ambiguity`);
    await runner.query(`DELETE FROM restore.preview_items WHERE action = 'ambiguous'`);
    await runner.query(`ALTER TABLE restore.preview_items DROP CONSTRAINT preview_items_action_check`);
    await runner.query(`ALTER TABLE restore.preview_items ADD CONSTRAINT preview_items_action_check CHECK (action IN ('create','update','no_change','skipped'))`);
  }
}
