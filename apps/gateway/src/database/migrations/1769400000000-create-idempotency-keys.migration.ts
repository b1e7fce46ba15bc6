import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency-Key claims: one row per (user, route and its ids, key), holding the request's fingerprint
 * and, once answered, the answer to replay for 24 hours. The row's id is the anchor passed down to
 * run-service, so a request whose answer was never stored still finds what it did.
 */
export class CreateIdempotencyKeys1769400000000 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1769400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE gateway.idempotency_keys (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        scope text NOT NULL,
        key varchar(255) NOT NULL,
        request_hash text NOT NULL,
        response_status integer,
        response_body jsonb,
        response_location text,
        locked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CONSTRAINT idempotency_keys_user_scope_key UNIQUE (user_id, scope, key)
      )`);
    await runner.query(`CREATE INDEX idempotency_keys_expires_at_idx ON gateway.idempotency_keys (expires_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE gateway.idempotency_keys`);
  }
}
