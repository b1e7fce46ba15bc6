import { createRejectedMessagesTableSql } from '@policyvault/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The gateway consumes tenant purge events now: what it could not process is kept here, like every consumer's. */
export class CreateRejectedMessages1769000000000 implements MigrationInterface {
  name = 'CreateRejectedMessages1769000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(createRejectedMessagesTableSql('gateway'));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE gateway.rejected_messages`);
  }
}
