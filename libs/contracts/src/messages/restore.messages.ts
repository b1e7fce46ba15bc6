// Restore preview and execute. The restore-worker owns the previews it computes (request/reply,
// queue group "restore-worker"); run-service checks a live restore's confirmation when it starts.
import { IsUUID } from 'class-validator';
import { PageRequest } from './run-rpc.messages.js';

export class GetRestorePreviewRequest extends PageRequest {
  @IsUUID('all')
  tenantId: string;

  /** The restore.preview run. */
  @IsUUID('all')
  runId: string;
}

export type RestoreAction = 'create' | 'update' | 'no_change' | 'skipped';

export interface FieldDifference {
  /** JSON path of the field, e.g. `settings[3].settingInstance.choiceSettingValue.value`. */
  path: string;
  /** Live value (absent when the field exists only in the snapshot). */
  live?: unknown;
  /** Snapshot value (absent when the field exists only live). */
  snapshot?: unknown;
}

export interface RestorePreviewItemView {
  backupItemId: string;
  policyType: string;
  displayName: string;
  action: RestoreAction;
  /** How the live object was found: by its original id, or by display name and @odata.type. */
  matchedBy: 'id' | 'name' | null;
  liveId: string | null;
  /** The exact request a restore would send (read-only properties stripped), when it would send one. */
  request: { method: 'POST' | 'PATCH' | 'PUT'; path: string; body: Record<string, unknown> } | null;
  differences: FieldDifference[];
  /** Why an item is skipped (e.g. unsupported policy type). */
  reason: string | null;
}

export interface RestorePreviewPage {
  runId: string;
  backupSetId: string;
  computedAt: string;
  totals: Record<RestoreAction, number>;
  items: RestorePreviewItemView[];
  nextCursor: string | null;
}
