import { AlignRejectedMessages1767800000000 } from './migrations/1767800000000-align-rejected-messages.migration.js';
import { CreateRestoreTables1732500000000 } from './migrations/1732500000000-create-restore-tables.migration.js';
import { AddPreviewItemRequests1768000000000 } from './migrations/1768000000000-add-preview-item-requests.migration.js';
import { RenameRejectedCommands1767700000001 } from './migrations/1767700000001-rename-rejected-commands.migration.js';
import { PreviewAmbiguityAndUnmapped1768100000001 } from './migrations/1768100000001-preview-ambiguity-and-unmapped.migration.js';
import { CreateDriftReports1768200000000 } from './migrations/1768200000000-create-drift-reports.migration.js';
import { RESTORE_WORKER_ENTITIES } from './restore-worker.entities.js';
import { KeyRejectedMessagesByStreamMessage1769500000000 } from './migrations/1769500000000-key-rejected-messages-by-stream-message.migration.js';

/**
 * Everything the restore-worker owns in Postgres, in its own schema: previews (per run, per backup
 * item), the ledger of executed items that keeps a redelivered restore from writing twice, and drift
 * reports (per drift.check run, per compared policy).
 */
export const RESTORE_DATABASE = {
  schema: 'restore',
  entities: RESTORE_WORKER_ENTITIES,
  migrations: [CreateRestoreTables1732500000000, RenameRejectedCommands1767700000001, AlignRejectedMessages1767800000000, AddPreviewItemRequests1768000000000, PreviewAmbiguityAndUnmapped1768100000001, CreateDriftReports1768200000000, KeyRejectedMessagesByStreamMessage1769500000000],
};
