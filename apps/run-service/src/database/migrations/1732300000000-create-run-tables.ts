import { createRejectedMessagesTableSql } from '@policyvault/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRunTables1732300000000 implements MigrationInterface {
  name = 'CreateRunTables1732300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE run_service.runs (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        tenant_directory_id text NOT NULL,
        type text NOT NULL,
        target jsonb NOT NULL,
        scope jsonb NOT NULL,
        scope_hash text NOT NULL,
        dedupe_key text NOT NULL,
        status text NOT NULL CHECK (status IN ('queued','running','succeeded','partial','failed','canceled')),
        planned_items integer,
        expected_items integer,
        total_items integer NOT NULL DEFAULT 0,
        succeeded_items integer NOT NULL DEFAULT 0,
        failed_items integer NOT NULL DEFAULT 0,
        skipped_items integer NOT NULL DEFAULT 0,
        initiator_user_id uuid NOT NULL,
        initiator_email text NOT NULL,
        summary jsonb,
        error jsonb,
        cancel_requested boolean NOT NULL DEFAULT false,
        queued_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    // The race-safety anchor of idempotent start: at most one active run per de-duplication key,
    // whichever replica inserts it. Terminal runs leave the index, so a new run may then start.
    await runner.query(`
      CREATE UNIQUE INDEX runs_active_dedupe_key ON run_service.runs (dedupe_key)
      WHERE status IN ('queued','running')`);
    await runner.query(`CREATE INDEX runs_tenant_listing ON run_service.runs (tenant_id, queued_at DESC, id DESC)`);
    await runner.query(`
      CREATE TABLE run_service.run_items (
        run_id uuid NOT NULL REFERENCES run_service.runs (id) ON DELETE CASCADE,
        item_key text NOT NULL,
        status text NOT NULL CHECK (status IN ('succeeded','failed','skipped')),
        label text,
        outcome text,
        error jsonb,
        result jsonb,
        finished_at timestamptz NOT NULL,
        PRIMARY KEY (run_id, item_key)
      )`);
    await runner.query(`
      CREATE TABLE run_service.outbox (
        id bigserial PRIMARY KEY,
        subject text NOT NULL,
        message_id text NOT NULL UNIQUE,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        sent_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    await runner.query(`CREATE INDEX outbox_unsent ON run_service.outbox (id) WHERE sent_at IS NULL`);
    await runner.query(createRejectedMessagesTableSql('run_service'));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE run_service.rejected_messages`);
    await runner.query(`DROP TABLE run_service.outbox`);
    await runner.query(`DROP TABLE run_service.run_items`);
    await runner.query(`DROP TABLE run_service.runs`);
  }
}
