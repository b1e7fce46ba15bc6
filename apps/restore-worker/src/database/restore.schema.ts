import { RejectedMessageEntity } from '@policyvault/platform';
import { CreateRestoreTables1732500000000 } from './migrations/1732500000000-create-restore-tables.migration.js';
import { RenameRejectedCommands1767700000001 } from './migrations/1767700000001-rename-rejected-commands.migration.js';

/**
 * Everything the restore-worker owns in Postgres, in its own schema: previews (per run, per backup
 * item) and the ledger of executed items that keeps a redelivered restore from writing twice.
 * Queries are plain SQL in the repositories; the only entity is the platform's rejected-message record.
 */
export const RESTORE_DATABASE = {
  schema: 'restore',
  entities: [RejectedMessageEntity],
  migrations: [CreateRestoreTables1732500000000, RenameRejectedCommands1767700000001],
};
