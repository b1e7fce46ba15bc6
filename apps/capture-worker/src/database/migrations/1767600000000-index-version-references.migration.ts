import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Schedule retention deletes the policy versions nothing references any more: it asks, per version,
 * whether a backup item or a policy's latest version still points at it. Both lookups get an index.
 * (`backup_sets.schedule_id` and its index came with the backup store.)
 */
export class IndexVersionReferences1767600000000 implements MigrationInterface {
  name = 'IndexVersionReferences1767600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX backup_items_version ON capture.backup_items (policy_version_id)`);
    await runner.query(`CREATE INDEX policies_latest_version_lookup ON capture.policies (latest_version_id) WHERE latest_version_id IS NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX capture.policies_latest_version_lookup`);
    await runner.query(`DROP INDEX capture.backup_items_version`);
  }
}
