import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The platform's shared rejected-message recorder keeps dropped commands in `rejected_messages`. */
export class RenameRejectedCommands1767700000000 implements MigrationInterface {
  name = 'RenameRejectedCommands1767700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE capture.rejected_commands RENAME TO rejected_messages`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE capture.rejected_messages RENAME TO rejected_commands`);
  }
}
