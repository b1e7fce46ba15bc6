import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The backup store: inventory, immutable policy versions, backup sets and their items. */
export class CreateBackupStore1732330000000 implements MigrationInterface {
  name = 'CreateBackupStore1732330000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE capture.policies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        policy_type text NOT NULL,
        graph_id text NOT NULL,
        display_name text NOT NULL,
        first_seen_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        missing_since timestamptz,
        latest_version_id uuid,
        CONSTRAINT policies_graph_object UNIQUE (tenant_id, policy_type, graph_id)
      )`);
    await runner.query(`CREATE INDEX policies_listing ON capture.policies (tenant_id, display_name, id)`);
    await runner.query(`
      CREATE TABLE capture.policy_versions (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        policy_id uuid NOT NULL REFERENCES capture.policies (id),
        content_hash text NOT NULL,
        snapshot jsonb NOT NULL,
        size_bytes integer NOT NULL,
        captured_at timestamptz NOT NULL,
        captured_by_run_id uuid NOT NULL,
        -- Identical content of one policy is stored once, whichever run or replica captures it.
        CONSTRAINT policy_versions_content UNIQUE (policy_id, content_hash)
      )`);
    await runner.query(`CREATE INDEX policy_versions_listing ON capture.policy_versions (policy_id, captured_at DESC, id DESC)`);
    await runner.query(`
      ALTER TABLE capture.policies ADD CONSTRAINT policies_latest_version
        FOREIGN KEY (latest_version_id) REFERENCES capture.policy_versions (id) DEFERRABLE INITIALLY DEFERRED`);
    // Versions are immutable: a snapshot once stored is what a restore will write back.
    await runner.query(`
      CREATE FUNCTION capture.refuse_version_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'policy versions are immutable';
      END $$`);
    await runner.query(`
      CREATE TRIGGER policy_versions_immutable BEFORE UPDATE ON capture.policy_versions
        FOR EACH ROW EXECUTE FUNCTION capture.refuse_version_update()`);
    await runner.query(`
      CREATE TABLE capture.backup_sets (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        status text NOT NULL CHECK (status IN ('capturing','complete','partial','failed')),
        include_foundations boolean NOT NULL,
        -- A redelivered create command finds the set its first delivery made.
        created_by_run_id uuid NOT NULL CONSTRAINT backup_sets_created_by_run UNIQUE,
        schedule_id uuid,
        created_at timestamptz NOT NULL,
        completed_at timestamptz
      )`);
    await runner.query(`CREATE INDEX backup_sets_listing ON capture.backup_sets (tenant_id, created_at DESC, id DESC)`);
    await runner.query(`CREATE INDEX backup_sets_schedule ON capture.backup_sets (schedule_id, created_at) WHERE schedule_id IS NOT NULL`);
    await runner.query(`
      CREATE TABLE capture.backup_items (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        backup_set_id uuid NOT NULL REFERENCES capture.backup_sets (id) ON DELETE CASCADE,
        policy_id uuid NOT NULL REFERENCES capture.policies (id),
        policy_version_id uuid NOT NULL REFERENCES capture.policy_versions (id),
        is_foundation boolean NOT NULL,
        added_by_run_id uuid NOT NULL,
        added_at timestamptz NOT NULL,
        CONSTRAINT backup_items_policy_once UNIQUE (backup_set_id, policy_id)
      )`);
    await runner.query(`
      CREATE TABLE capture.rejected_commands (
        id bigserial PRIMARY KEY,
        subject text NOT NULL,
        payload text NOT NULL,
        reason text NOT NULL,
        delivery_count integer NOT NULL,
        received_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE capture.rejected_commands`);
    await runner.query(`DROP TABLE capture.backup_items`);
    await runner.query(`DROP TABLE capture.backup_sets`);
    await runner.query(`ALTER TABLE capture.policies DROP CONSTRAINT policies_latest_version`);
    await runner.query(`DROP TABLE capture.policy_versions`);
    await runner.query(`DROP FUNCTION capture.refuse_version_update()`);
    await runner.query(`DROP TABLE capture.policies`);
  }
}
