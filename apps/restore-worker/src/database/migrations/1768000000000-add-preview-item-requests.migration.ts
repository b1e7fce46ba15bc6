import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every request of an item's restore (issue 11: writes are request sequences); earlier previews show `[]`. */
export class AddPreviewItemRequests1768000000000 implements MigrationInterface {
  name = 'AddPreviewItemRequests1768000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE restore.preview_items ADD COLUMN requests jsonb NOT NULL DEFAULT '[]'::jsonb`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE restore.preview_items DROP COLUMN requests`);
  }
}
