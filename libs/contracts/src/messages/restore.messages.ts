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

/** One request of an item's restore, in the order a restore sends them. */
export interface PlannedRequestView {
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Relative to the Graph base URL (`/beta/...`); `{createdId}` stands for the id the item's create answers with. */
  path: string;
  /** Only writable data; null for DELETE. */
  body: Record<string, unknown> | null;
  /** `create`, `update`, `scheduled_actions`, `settings`, `definition_values`, `target_apps`, `priority`, `assign`, `unassign`. */
  purpose: string;
}

export interface RestorePreviewItemView {
  backupItemId: string;
  policyType: string;
  displayName: string;
  action: RestoreAction;
  /** How the live object was found: by its original id, or by display name and @odata.type. */
  matchedBy: 'id' | 'name' | null;
  liveId: string | null;
  /** The first request carrying a body (kept for existing readers; `requests` holds them all). */
  request: { method: 'POST' | 'PATCH' | 'PUT'; path: string; body: Record<string, unknown> } | null;
  /** Every request a restore would send for the item, in order (empty when it sends none). */
  requests: PlannedRequestView[];
  differences: FieldDifference[];
  /** Why an item is skipped or not fully written (`unsupported_policy_type`, `built_in`, `assignments_not_mappable`…). */
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
