import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Incremental capture: what the last complete read of each policy started from (the hash of its list
 * entry and the version that read stored, when, and how many runs reused it since), so an unchanged
 * list entry can reuse that version instead of reading the object again.
 */
export class AddPolicyListEntries1770100000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE capture.policies
        ADD COLUMN list_entry_hash text,
        ADD COLUMN list_entry_version_id uuid,
        ADD COLUMN full_read_at timestamptz,
        ADD COLUMN reused_since_full_read integer NOT NULL DEFAULT 0`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE capture.policies
        DROP COLUMN list_entry_hash,
        DROP COLUMN list_entry_version_id,
        DROP COLUMN full_read_at,
        DROP COLUMN reused_since_full_read`);
  }
}
