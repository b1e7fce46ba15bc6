// The DDL of `rejected_messages`, which every consuming service keeps in its own schema: each service's
// migrations call these with their schema, so the table is written once. Each one is a version of the
// table and never changes once released; a change of the table is a new one here and a migration in
// every service that extends it.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Version 1: the table as first created (payload as text). */
export function createRejectedMessagesTableSql(schema: string): string {
  return `
    CREATE TABLE ${schema}.rejected_messages (
      id bigserial PRIMARY KEY,
      subject text NOT NULL,
      payload text NOT NULL,
      reason text NOT NULL,
      delivery_count integer NOT NULL,
      received_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`;
}

/**
 * Version 2: the payload kept as bytes (a payload with a NUL byte, or no UTF-8 at all, could not be stored as
 * text, so its message was redelivered forever), and one row per stream message (stream, sequence), so a
 * redelivery records nothing more. A service's migration extends this with its schema and its own name.
 */
export abstract class KeyRejectedMessagesByStreamMessage implements MigrationInterface {
  protected abstract readonly schema: string;

  async up(runner: QueryRunner): Promise<void> {
    const table = `${this.schema}.rejected_messages`;
    await runner.query(`ALTER TABLE ${table} ALTER COLUMN payload TYPE bytea USING convert_to(payload, 'UTF8')`);
    await runner.query(`ALTER TABLE ${table} ADD COLUMN stream text, ADD COLUMN stream_sequence bigint`);
    await runner.query(`ALTER TABLE ${table} ADD CONSTRAINT rejected_messages_stream_message UNIQUE (stream, stream_sequence)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const table = `${this.schema}.rejected_messages`;
    await runner.query(`ALTER TABLE ${table} DROP CONSTRAINT rejected_messages_stream_message`);
    await runner.query(`ALTER TABLE ${table} DROP COLUMN stream_sequence, DROP COLUMN stream`);
    await runner.query(`ALTER TABLE ${table} ALTER COLUMN payload TYPE text USING encode(payload, 'escape')`);
  }
}
