// The backup store's read API: request/reply served by capture-worker (the store's only writer,
// queue group "capture-worker") for the gateway and the restore-worker. Patterns in BackupStoreRpc.
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ArrayMaxSize } from 'class-validator';
import type { FieldDifference } from './restore.messages.js';
import { MAX_SELECTED_ITEMS } from '../runs/run-targets.js';
import { PageRequest } from './run-rpc.messages.js';

export const POLICY_TYPE_ID_PATTERN = /^[a-zA-Z][a-zA-Z0-9]{1,63}$/;

export const BACKUP_SET_STATUSES = ['capturing', 'complete', 'partial', 'failed'] as const;
export type BackupSetStatus = (typeof BACKUP_SET_STATUSES)[number];

export class ListPoliciesRequest extends PageRequest {
  @IsUUID('all')
  tenantId: string;

  @IsOptional()
  @IsString()
  @Matches(POLICY_TYPE_ID_PATTERN)
  policyType?: string;

  /** Case-insensitive substring of the display name. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  search?: string;
}

export class GetPolicyRequest {
  @IsUUID('all')
  tenantId: string;

  @IsUUID('all')
  policyId: string;
}

export class ListPolicyVersionsRequest extends PageRequest {
  @IsUUID('all')
  tenantId: string;

  @IsUUID('all')
  policyId: string;
}

export class GetPolicyVersionRequest {
  @IsUUID('all')
  tenantId: string;

  @IsUUID('all')
  versionId: string;
}

export class ListBackupSetsRequest extends PageRequest {
  @IsUUID('all')
  tenantId: string;
}

export class GetBackupSetRequest {
  @IsUUID('all')
  tenantId: string;

  @IsUUID('all')
  backupSetId: string;
}

export class GetLatestBackupSetRequest {
  @IsUUID('all')
  tenantId: string;

  /** Only sets in one of these statuses (a drift baseline: `complete`). */
  @ArrayMaxSize(4)
  @IsIn(BACKUP_SET_STATUSES, { each: true })
  statuses: BackupSetStatus[];
}

export class ComparePolicyVersionsRequest {
  @IsUUID('all')
  tenantId: string;

  @IsUUID('all')
  policyId: string;

  @IsUUID('all')
  fromVersionId: string;

  @IsUUID('all')
  toVersionId: string;
}

export class ListBackupItemsRequest extends PageRequest {
  @IsUUID('all')
  tenantId: string;

  @IsUUID('all')
  backupSetId: string;

  /** When set, only these items (restore scopes). */
  @IsOptional()
  @ArrayMaxSize(MAX_SELECTED_ITEMS)
  @IsUUID('all', { each: true })
  backupItemIds?: string[];

  /**
   * Include each item's snapshot JSON (for the restore-worker; the gateway leaves it off). Secret values
   * come as their encrypted envelopes (`policyVaultSecret`), which only a holder of the key can open.
   */
  @IsOptional()
  @IsBoolean()
  includeSnapshots?: boolean;
}

/**
 * How an export carries secret values (encrypted OMA-URI values): `omit` puts a marker in their place,
 * `encrypted` keeps the stored envelope (`policyVaultSecret`: AES-256-GCM, openable only with the key).
 * The plaintext is never exported.
 */
export const BACKUP_EXPORT_SECRET_MODES = ['omit', 'encrypted'] as const;
export type BackupExportSecretMode = (typeof BACKUP_EXPORT_SECRET_MODES)[number];

/** What an export writes in place of a secret value in `omit` mode (an object, so no tool mistakes it for a value). */
export const OMITTED_SECRET_VALUE = Object.freeze({ policyVaultSecretOmitted: true } as const);

export class ExportBackupItemsRequest extends PageRequest {
  @IsUUID('all')
  tenantId: string;

  @IsUUID('all')
  backupSetId: string;

  @IsIn(BACKUP_EXPORT_SECRET_MODES)
  secrets: BackupExportSecretMode;
}

/** One item of an export page: its version's whole snapshot (assignments embedded) as the store holds it. */
export interface ExportedBackupItem {
  id: string;
  policyId: string;
  policyVersionId: string;
  policyType: string;
  graphId: string;
  displayName: string;
  isFoundation: boolean;
  odataType: string | null;
  /** The version's content hash as the store recorded it (a secret counts by key id and digest). */
  contentHash: string;
  /** Secret values as the request's mode says: `OMITTED_SECRET_VALUE` or their envelopes. */
  snapshot: Record<string, unknown>;
  /** JSON paths of the snapshot's secret values (`omaSettings[1].value`). */
  secretPaths: string[];
}

export interface PolicyView {
  id: string;
  tenantId: string;
  /** The object's id in the customer's Graph. */
  graphId: string;
  policyType: string;
  displayName: string;
  firstSeenAt: string;
  lastSeenAt: string;
  /** Set when an inventory sync no longer found the object in Graph. */
  missingSince: string | null;
  latestVersionId: string | null;
}

export interface PolicyVersionSummary {
  id: string;
  policyId: string;
  contentHash: string;
  capturedAt: string;
  capturedByRunId: string;
  sizeBytes: number;
}

export interface PolicyVersionView extends PolicyVersionSummary {
  tenantId: string;
  graphId: string;
  policyType: string;
  displayName: string;
  /**
   * The object as Graph returned it, sub-resources embedded under their Graph names; a secret value
   * (encrypted OMA-URI value) shows as `{ "secret": true }`.
   */
  snapshot: Record<string, unknown>;
}


/**
 * Two versions of one policy compared as previews compare (normalized; order-free arrays in a stable
 * order): `live` is the `to` version's value, `snapshot` the `from` version's. Secret values show as
 * `secret value` → `secret value, changed` when they differ, never as their values.
 */
export interface PolicyVersionComparison {
  policyId: string;
  policyType: string;
  from: PolicyVersionSummary;
  to: PolicyVersionSummary;
  differences: FieldDifference[];
}

export interface BackupSetView {
  id: string;
  tenantId: string;
  name: string;
  status: BackupSetStatus;
  includeFoundations: boolean;
  itemCount: number;
  createdByRunId: string;
  /** Set when a backup schedule made the set (retention only ever removes those). */
  scheduleId: string | null;
  createdAt: string;
  completedAt: string | null;
}

export interface BackupItemView {
  id: string;
  backupSetId: string;
  policyId: string;
  policyVersionId: string;
  policyType: string;
  graphId: string;
  displayName: string;
  isFoundation: boolean;
  addedByRunId: string;
  addedAt: string;
  /** The snapshot's `@odata.type` (null for types without one): restores match by name and type. */
  odataType: string | null;
  /**
   * Display names of the objects the snapshot references, by kind and id in the captured tenant, read
   * when the item was captured (a restore into another tenant maps them by name). Kinds or ids without
   * a name (captured before names were recorded, or gone when captured) are absent.
   */
  references: CapturedReferences;
  snapshot?: Record<string, unknown>;
}

/** What a policy references outside itself: directory groups, scope tags, assignment filters, notification templates. */
export type ReferenceKind = 'group' | 'scopeTag' | 'filter' | 'notificationTemplate';

/** Id in the captured tenant → display name, per kind (`{ group: { "<id>": "All laptops" } }`). */
export type CapturedReferences = Partial<Record<ReferenceKind, Record<string, string>>>;
