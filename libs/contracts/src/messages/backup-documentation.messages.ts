// The as-built documentation of a backup set: pages of its items as the gateway renders them (Markdown, HTML),
// served by capture-worker (BackupStoreRpc.documentBackupItems).
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import type { CapturedReferences } from './backup-store.messages.js';
import { PageRequest } from './run-rpc.messages.js';

export class DocumentBackupItemsRequest extends PageRequest {
  @IsUUID('all')
  tenantId: string;

  @IsUUID('all')
  backupSetId: string;

  /**
   * `true`: the outline only (no snapshots, no definitions), in the same order — the table of contents
   * and counts a report writes before its first item.
   */
  @IsOptional()
  @IsBoolean()
  outline?: boolean;
}

/** One item of a documentation page, ordered by policy type, display name, id. */
export interface DocumentedBackupItem {
  id: string;
  policyType: string;
  /** The type's name for people (`Settings catalog policy`), from the type registry. */
  policyTypeLabel: string;
  graphId: string;
  displayName: string;
  isFoundation: boolean;
  odataType: string | null;
  contentHash: string;
  capturedAt: string;
  /** Display names of referenced groups, scope tags, filters and notification templates (as captured). */
  references: CapturedReferences;
  /** The captured object; a secret value is `{ "secret": true }`. Absent in an outline. */
  snapshot?: Record<string, unknown>;
}

/** An option of a choice setting: `itemId` is what a choice value holds. */
export interface SettingOptionView {
  itemId: string;
  displayName: string | null;
  name: string | null;
}

/** What a report needs of a settings catalog setting definition (Graph `deviceManagementConfigurationSettingDefinition`). */
export interface SettingDefinitionView {
  id: string;
  displayName: string | null;
  name: string | null;
  description: string | null;
  odataType: string | null;
  options: SettingOptionView[];
}

export interface DocumentationPage {
  items: DocumentedBackupItem[];
  nextCursor: string | null;
  /** The definitions of every setting the page's items use that were captured, by definition id. */
  settingDefinitions: Record<string, SettingDefinitionView>;
}
