import { CreateRestoreTables1732500000000 } from './migrations/1732500000000-create-restore-tables.migration.js';

/**
 * Everything the restore-worker owns in Postgres, in its own schema: previews (per run, per backup
 * item) and the ledger of executed items that keeps a redelivered restore from writing twice.
 * Queries are plain SQL in the repositories; no entity classes are needed.
 */
export const RESTORE_DATABASE = {
  schema: 'restore',
  entities: [],
  migrations: [CreateRestoreTables1732500000000],
};
