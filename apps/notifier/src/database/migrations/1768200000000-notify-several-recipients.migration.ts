import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A run transition may notify several users (a drift report notifies the tenant's owners besides the
 * run's initiator): the idempotency anchor becomes one notification per (run, transition, recipient).
 */
export class NotifySeveralRecipients1768200000000 implements MigrationInterface {
  name = 'NotifySeveralRecipients1768200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE UNIQUE INDEX notifications_run_transition_user ON notifier.notifications (run_id, status, user_id)`);
    await runner.query(`DROP INDEX notifier.notifications_run_transition`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM notifier.notifications a USING notifier.notifications b WHERE a.run_id = b.run_id AND a.status = b.status AND a.id > b.id`);
    await runner.query(`CREATE UNIQUE INDEX notifications_run_transition ON notifier.notifications (run_id, status)`);
    await runner.query(`DROP INDEX notifier.notifications_run_transition_user`);
  }
}
