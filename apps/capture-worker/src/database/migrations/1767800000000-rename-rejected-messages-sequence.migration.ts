import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Renaming `rejected_commands` kept its id sequence's old name; the platform's RejectedMessageEntity
 * (a generated bigint id) expects the sequence named after the table, as the other schemas have it.
 */
export class RenameRejectedMessagesSequence1767800000000 implements MigrationInterface {
  name = 'RenameRejectedMessagesSequence1767800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER SEQUENCE capture.rejected_commands_id_seq RENAME TO rejected_messages_id_seq`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER SEQUENCE capture.rejected_messages_id_seq RENAME TO rejected_commands_id_seq`);
  }
}
