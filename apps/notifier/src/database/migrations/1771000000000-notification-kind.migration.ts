import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications that are not about a run (an endpoint disabled after repeated failures): a nullable `kind`
 * (null: a run transition, as before), the run columns nullable for the others, and the idempotency anchor
 * of those, one per (event, recipient).
 */
export class NotificationKind1771000000000 implements MigrationInterface {
  name = 'NotificationKind1771000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE notifier.notifications ADD COLUMN kind text NULL`);
    await runner.query(`ALTER TABLE notifier.notifications ALTER COLUMN run_id DROP NOT NULL, ALTER COLUMN run_type DROP NOT NULL, ALTER COLUMN status DROP NOT NULL`);
    await runner.query(`ALTER TABLE notifier.notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('endpoint.disabled'))`);
    await runner.query(
      `ALTER TABLE notifier.notifications ADD CONSTRAINT notifications_run_columns_check CHECK (kind IS NOT NULL OR (run_id IS NOT NULL AND run_type IS NOT NULL AND status IS NOT NULL))`,
    );
    await runner.query(`CREATE UNIQUE INDEX notifications_event_user ON notifier.notifications (event_id, user_id) WHERE kind IS NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX notifier.notifications_event_user`);
    await runner.query(`DELETE FROM notifier.notifications WHERE kind IS NOT NULL`);
    await runner.query(`ALTER TABLE notifier.notifications DROP CONSTRAINT notifications_run_columns_check, DROP CONSTRAINT notifications_kind_check`);
    await runner.query(`ALTER TABLE notifier.notifications ALTER COLUMN run_id SET NOT NULL, ALTER COLUMN run_type SET NOT NULL, ALTER COLUMN status SET NOT NULL`);
    await runner.query(`ALTER TABLE notifier.notifications DROP COLUMN kind`);
  }
}
