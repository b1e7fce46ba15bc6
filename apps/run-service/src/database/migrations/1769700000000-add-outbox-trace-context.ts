import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trace context (W3C `traceparent`) of the work that wrote an outbox row, so the relay's publish, and
 * whatever consumes the message, continue that trace even when the row is sent later or by another replica.
 */
export class AddOutboxTraceContext1769700000000 implements MigrationInterface {
  name = 'AddOutboxTraceContext1769700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE run_service.outbox ADD COLUMN trace_context jsonb`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE run_service.outbox DROP COLUMN trace_context`);
  }
}
