import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notification channels: endpoints (webhook, Teams, email; a webhook's signing secret sealed by
 * SecretCipher), subscriptions (tenant-wide or one user's), the delivery outbox (one row per event and
 * endpoint: the exactly-once anchor) and the hourly digests.
 */
export class CreateNotificationChannels1770000000000 implements MigrationInterface {
  name = 'CreateNotificationChannels1770000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE notifier.notification_endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        user_id uuid,
        kind text NOT NULL CONSTRAINT notification_endpoints_kind_check CHECK (kind IN ('webhook','teams','email')),
        name text NOT NULL,
        url text,
        email_to text[],
        secret jsonb,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text,
        consecutive_failures integer NOT NULL DEFAULT 0,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX notification_endpoints_tenant ON notifier.notification_endpoints (tenant_id)`);
    await runner.query(`
      CREATE TABLE notifier.notification_subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        user_id uuid,
        endpoint_id uuid NOT NULL CONSTRAINT notification_subscriptions_endpoint_fk REFERENCES notifier.notification_endpoints (id) ON DELETE CASCADE,
        events text[] NOT NULL,
        digest boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX notification_subscriptions_tenant ON notifier.notification_subscriptions (tenant_id)`);
    await runner.query(`
      CREATE TABLE notifier.notification_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        endpoint_id uuid NOT NULL CONSTRAINT notification_deliveries_endpoint_fk REFERENCES notifier.notification_endpoints (id) ON DELETE CASCADE,
        event_key text NOT NULL,
        event_kind text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CONSTRAINT notification_deliveries_status_check CHECK (status IN ('pending','delivered','dead')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        last_http_status integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz
      )`);
    // The exactly-once anchor: one delivery per (event, endpoint), however often the event arrives.
    await runner.query(`CREATE UNIQUE INDEX notification_deliveries_event_endpoint ON notifier.notification_deliveries (event_key, endpoint_id)`);
    await runner.query(`CREATE INDEX notification_deliveries_due ON notifier.notification_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await runner.query(`CREATE INDEX notification_deliveries_tenant ON notifier.notification_deliveries (tenant_id, created_at)`);
    await runner.query(`
      CREATE TABLE notifier.notification_digests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        subscription_id uuid NOT NULL CONSTRAINT notification_digests_subscription_fk REFERENCES notifier.notification_subscriptions (id) ON DELETE CASCADE,
        opened_at timestamptz NOT NULL DEFAULT now(),
        closes_at timestamptz NOT NULL,
        entries jsonb NOT NULL DEFAULT '[]',
        flushed_at timestamptz
      )`);
    // One open digest per subscription: events join it until it closes.
    await runner.query(`CREATE UNIQUE INDEX notification_digests_open ON notifier.notification_digests (subscription_id) WHERE flushed_at IS NULL`);
    await runner.query(`CREATE INDEX notification_digests_due ON notifier.notification_digests (closes_at) WHERE flushed_at IS NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE notifier.notification_digests`);
    await runner.query(`DROP TABLE notifier.notification_deliveries`);
    await runner.query(`DROP TABLE notifier.notification_subscriptions`);
    await runner.query(`DROP TABLE notifier.notification_endpoints`);
  }
}
