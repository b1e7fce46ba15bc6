// Restore preview and execute. The restore-worker owns the previews it computes (request/reply,
// queue group "restore-worker"); run-service checks a live restore's confirmation when it starts.
import { IsUUID } from 'class-validator';
import type { ReferenceKind } from './backup-store.messages.js';
import { PageRequest } from './run-rpc.messages.js';

export class GetRestorePreviewRequest extends PageRequest {
  @IsUUID('all')
  tenantId: string;

  /** The restore.preview run. */
  @IsUUID('all')
  runId: string;
}

/**
 * `ambiguous`: the item could not be matched to exactly one live object, so nothing is written for it
 * (`ambiguity` says why and names the candidates).
 */
export type RestoreAction = 'create' | 'update' | 'no_change' | 'skipped' | 'ambiguous';

export const RESTORE_ACTIONS: readonly RestoreAction[] = ['create', 'update', 'no_change', 'skipped', 'ambiguous'];

/**
 * Why a backup item has no single live object to restore onto:
 * - `several_live_matches`: no live object has its original id and two or more carry its name and type;
 * - `several_backup_items`: the one live object with its name and type would be the name match of other
 *   items of the same restore too (they are all ambiguous: which one it stands for cannot be told);
 * - `already_matched`: that live object is another item's match (by its original id) in this restore.
 */
export interface RestoreAmbiguity {
  reason: 'several_live_matches' | 'several_backup_items' | 'already_matched';
  /** Ids of the live objects that could be meant. */
  candidateIds: string[];
  /** The other backup items of the restore that the live object is, or could be, the match of. */
  backupItemIds: string[];
}

/** A reference the target tenant cannot resolve to exactly one object. */
export interface UnmappedReferenceView {
  kind: ReferenceKind;
  /** The id in the backup's tenant. */
  id: string;
  /** Its display name when captured (null when none was recorded). */
  name: string | null;
  reason: UnmappedReferenceReason;
  /** An unmapped exclusion group or assignment filter blocks the item's assignments (dropping it would widen them). */
  blocking: boolean;
}

/**
 * `not_in_target_tenant`: nothing in the target tenant carries the id (same tenant) or the name;
 * `several_in_target_tenant`: two or more objects carry the name; `name_not_captured`: across tenants,
 * the backup recorded no name for the id.
 */
export type UnmappedReferenceReason = 'not_in_target_tenant' | 'several_in_target_tenant' | 'name_not_captured';

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
  /** `create`, `update`, `scheduled_actions`, `settings`, `definition_values`, `target_apps`, `priority`, `policy_set_items`, `allowed_combinations`, `assign`, `unassign`. */
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
  /** Why an item is skipped or not fully written (`unsupported_policy_type`, `built_in`, `assignments_not_mappable`…) or ambiguous (`ambiguous_match`). */
  reason: string | null;
  /** Set when `action` is `ambiguous`. */
  ambiguity: RestoreAmbiguity | null;
  /** References (groups, scope tags, filters, notification templates) the target tenant cannot resolve. */
  unmapped: UnmappedReferenceView[];
}

export interface RestorePreviewPage {
  runId: string;
  backupSetId: string;
  computedAt: string;
  totals: Record<RestoreAction, number>;
  items: RestorePreviewItemView[];
  nextCursor: string | null;
}
