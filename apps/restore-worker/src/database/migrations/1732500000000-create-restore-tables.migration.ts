import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Restore previews and the executed-items ledger. */
export class CreateRestoreTables1732500000000 implements MigrationInterface {
  name = 'CreateRestoreTables1732500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE restore.previews (
        run_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        backup_set_id uuid NOT NULL,
        source_tenant_id uuid NOT NULL,
        include_assignments boolean NOT NULL,
        started_at timestamptz NOT NULL,
        computed_at timestamptz
      )`);
    await runner.query(`
      CREATE TABLE restore.preview_items (
        run_id uuid NOT NULL REFERENCES restore.previews (run_id) ON DELETE CASCADE,
        backup_item_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        -- Order of the backup set (the order items were computed in); the page cursor.
        position integer NOT NULL,
        policy_type text NOT NULL,
        display_name text NOT NULL,
        action text NOT NULL CHECK (action IN ('create','update','no_change','skipped')),
        matched_by text CHECK (matched_by IN ('id','name')),
        live_id text,
        request jsonb,
        differences jsonb NOT NULL,
        reason text,
        -- The safe error of an item whose live object could not be read (code and whitelisted context).
        error jsonb,
        -- A redelivered preview reports this item again instead of recomputing it.
        PRIMARY KEY (run_id, backup_item_id)
      )`);
    await runner.query(`CREATE INDEX preview_items_page ON restore.preview_items (run_id, position)`);
    await runner.query(`
      CREATE TABLE restore.executed_items (
        run_id uuid NOT NULL,
        backup_item_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        -- 'writing' is recorded before the first write to Graph; the final status after the last one.
        status text NOT NULL CHECK (status IN ('writing','succeeded','failed','skipped')),
        action text NOT NULL,
        outcome text,
        label text,
        result jsonb,
        error jsonb,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (run_id, backup_item_id)
      )`);
    await runner.query(`
      CREATE TABLE restore.rejected_commands (
        id bigserial PRIMARY KEY,
        subject text NOT NULL,
        payload text NOT NULL,
        reason text NOT NULL,
        delivery_count integer NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE restore.rejected_commands`);
    await runner.query(`DROP TABLE restore.executed_items`);
    await runner.query(`DROP TABLE restore.preview_items`);
    await runner.query(`DROP TABLE restore.previews`);
  }
}
