import { createRejectedMessagesTableSql } from '@policyvault/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNotificationTables1733000000000 implements MigrationInterface {
  name = 'CreateNotificationTables1733000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE notifier.notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        run_id uuid NOT NULL,
        run_type text NOT NULL,
        status text NOT NULL CHECK (status IN ('queued','running','succeeded','partial','failed','canceled')),
        title text NOT NULL,
        body text NOT NULL,
        error jsonb,
        link text NOT NULL,
        event_id text NOT NULL,
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        read_at timestamptz
      )`);
    // The idempotency anchor: one notification per (run, transition), however often the event arrives.
    await runner.query(`CREATE UNIQUE INDEX notifications_run_transition ON notifier.notifications (run_id, status)`);
    await runner.query(`CREATE INDEX notifications_user_listing ON notifier.notifications (user_id, created_at DESC, id DESC)`);
    await runner.query(`CREATE INDEX notifications_user_unread ON notifier.notifications (user_id, tenant_id) WHERE read_at IS NULL`);
    await runner.query(createRejectedMessagesTableSql('notifier'));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE notifier.rejected_messages`);
    await runner.query(`DROP TABLE notifier.notifications`);
  }
}
