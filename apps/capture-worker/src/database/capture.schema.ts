import { RejectedMessageEntity, type ServiceDatabaseOptions } from '@policyvault/platform';
import { BackupItemEntity } from '../store/backup-item.entity.js';
import { BackupSetSelectionEntity } from '../store/backup-set-selection.entity.js';
import { BackupSetEntity } from '../store/backup-set.entity.js';
import { PolicyVersionEntity } from '../store/policy-version.entity.js';
import { PolicyEntity } from '../store/policy.entity.js';
import { SettingDefinitionEntity } from '../documentation/setting-definition.entity.js';
import { CreateBackupStore1732330000000 } from './migrations/1732330000000-create-backup-store.migration.js';
import { IndexVersionReferences1767600000000 } from './migrations/1767600000000-index-version-references.migration.js';
import { RenameRejectedCommands1767700000000 } from './migrations/1767700000000-rename-rejected-commands.migration.js';
import { RenameRejectedMessagesSequence1767800000000 } from './migrations/1767800000000-rename-rejected-messages-sequence.migration.js';
import { AddBackupItemReferenceNames1768100000000 } from './migrations/1768100000000-add-backup-item-reference-names.migration.js';
import { KeyRejectedMessagesByStreamMessage1769500000000 } from './migrations/1769500000000-key-rejected-messages-by-stream-message.migration.js';
import { CreateBackupSetSelections1769600000001 } from './migrations/1769600000001-create-backup-set-selections.migration.js';
import { CreateSettingDefinitions1770015000004 } from './migrations/1770015000004-create-setting-definitions.migration.js';
import { AddPolicyListEntries1770100000000 } from './migrations/1770100000000-add-policy-list-entries.migration.js';
import { KeyVersionsByTheirPolicy1770200000000 } from './migrations/1770200000000-key-versions-by-their-policy.migration.js';

/** Everything capture-worker owns in Postgres (the backup store), in its own schema. */
export const CAPTURE_DATABASE: ServiceDatabaseOptions = {
  schema: 'capture',
  entities: [PolicyEntity, PolicyVersionEntity, BackupSetEntity, BackupItemEntity, BackupSetSelectionEntity, SettingDefinitionEntity, RejectedMessageEntity],
  migrations: [
    CreateBackupStore1732330000000,
    IndexVersionReferences1767600000000,
    RenameRejectedCommands1767700000000,
    RenameRejectedMessagesSequence1767800000000,
    AddBackupItemReferenceNames1768100000000,
    KeyRejectedMessagesByStreamMessage1769500000000,
    CreateBackupSetSelections1769600000001,
    CreateSettingDefinitions1770015000004,
    AddPolicyListEntries1770100000000,
    KeyVersionsByTheirPolicy1770200000000,
  ],
};
