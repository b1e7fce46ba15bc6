import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The references to a version name its policy too, so that they are checked through keys a capture writes anyway
 * and a policy's update can be heap-only (HOT):
 * - a policy's latest version and a backup item's version are foreign keys on (policy, version), which also says
 *   that the version is of that policy (each key was checked alone before);
 * - a backup item no longer has a key of its own to its policy (its version's key covers it): one row lock less
 *   per item;
 * - retention finds the policy that may still point at a version by its primary key, so the index on
 *   latest_version_id goes. A capture that points a policy at a new version then changes no indexed column, and
 *   with room left on the page (fillfactor 70: every capture updates each policy it lists), Postgres writes no
 *   index entry for that update.
 */
export class KeyVersionsByTheirPolicy1770200000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE capture.policy_versions ADD CONSTRAINT policy_versions_of_policy UNIQUE (policy_id, id)`);
    await runner.query(`ALTER TABLE capture.policies DROP CONSTRAINT policies_latest_version`);
    await runner.query(`
      ALTER TABLE capture.policies ADD CONSTRAINT policies_latest_version
        FOREIGN KEY (id, latest_version_id) REFERENCES capture.policy_versions (policy_id, id) DEFERRABLE INITIALLY DEFERRED`);
    await runner.query(`DROP INDEX capture.policies_latest_version_lookup`);
    await runner.query(`ALTER TABLE capture.backup_items DROP CONSTRAINT backup_items_policy_id_fkey, DROP CONSTRAINT backup_items_policy_version_id_fkey`);
    await runner.query(`
      ALTER TABLE capture.backup_items ADD CONSTRAINT backup_items_policy_version
        FOREIGN KEY (policy_id, policy_version_id) REFERENCES capture.policy_versions (policy_id, id)`);
    await runner.query(`ALTER TABLE capture.policies SET (fillfactor = 70)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE capture.policies RESET (fillfactor)`);
    await runner.query(`ALTER TABLE capture.backup_items DROP CONSTRAINT backup_items_policy_version`);
    await runner.query(`
      ALTER TABLE capture.backup_items
        ADD CONSTRAINT backup_items_policy_id_fkey FOREIGN KEY (policy_id) REFERENCES capture.policies (id),
        ADD CONSTRAINT backup_items_policy_version_id_fkey FOREIGN KEY (policy_version_id) REFERENCES capture.policy_versions (id)`);
    await runner.query(`CREATE INDEX policies_latest_version_lookup ON capture.policies (latest_version_id) WHERE latest_version_id IS NOT NULL`);
    await runner.query(`ALTER TABLE capture.policies DROP CONSTRAINT policies_latest_version`);
    await runner.query(`
      ALTER TABLE capture.policies ADD CONSTRAINT policies_latest_version
        FOREIGN KEY (latest_version_id) REFERENCES capture.policy_versions (id) DEFERRABLE INITIALLY DEFERRED`);
    await runner.query(`ALTER TABLE capture.policy_versions DROP CONSTRAINT policy_versions_of_policy`);
  }
}
