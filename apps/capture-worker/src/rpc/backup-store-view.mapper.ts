import type { BackupItemView, BackupSetStatus, BackupSetView, PolicyVersionSummary, PolicyVersionView, PolicyView } from '@policyvault/contracts';

const iso = (value: Date) => value.toISOString();
const isoOrNull = (value: Date | null) => (value ? value.toISOString() : null);

export interface PolicyViewRow {
  id: string;
  tenant_id: string;
  graph_id: string;
  policy_type: string;
  display_name: string;
  first_seen_at: Date;
  last_seen_at: Date;
  missing_since: Date | null;
  latest_version_id: string | null;
}

export function toPolicyView(row: PolicyViewRow): PolicyView {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    graphId: row.graph_id,
    policyType: row.policy_type,
    displayName: row.display_name,
    firstSeenAt: iso(row.first_seen_at),
    lastSeenAt: iso(row.last_seen_at),
    missingSince: isoOrNull(row.missing_since),
    latestVersionId: row.latest_version_id,
  };
}

export interface PolicyVersionRow {
  id: string;
  tenant_id: string;
  policy_id: string;
  content_hash: string;
  captured_at: Date;
  captured_by_run_id: string;
  size_bytes: number;
}

export function toPolicyVersionSummary(row: PolicyVersionRow): PolicyVersionSummary {
  return {
    id: row.id,
    policyId: row.policy_id,
    contentHash: row.content_hash,
    capturedAt: iso(row.captured_at),
    capturedByRunId: row.captured_by_run_id,
    sizeBytes: row.size_bytes,
  };
}

export function toPolicyVersionView(
  row: PolicyVersionRow & { graph_id: string; policy_type: string; display_name: string; snapshot: Record<string, unknown> },
): PolicyVersionView {
  return {
    ...toPolicyVersionSummary(row),
    tenantId: row.tenant_id,
    graphId: row.graph_id,
    policyType: row.policy_type,
    displayName: row.display_name,
    snapshot: row.snapshot,
  };
}

export interface BackupSetRow {
  id: string;
  tenant_id: string;
  name: string;
  status: BackupSetStatus;
  include_foundations: boolean;
  item_count: number;
  created_by_run_id: string;
  schedule_id: string | null;
  created_at: Date;
  completed_at: Date | null;
}

export function toBackupSetView(row: BackupSetRow): BackupSetView {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    status: row.status,
    includeFoundations: row.include_foundations,
    itemCount: row.item_count,
    createdByRunId: row.created_by_run_id,
    scheduleId: row.schedule_id,
    createdAt: iso(row.created_at),
    completedAt: isoOrNull(row.completed_at),
  };
}

export interface BackupItemRow {
  id: string;
  backup_set_id: string;
  policy_id: string;
  policy_version_id: string;
  policy_type: string;
  graph_id: string;
  display_name: string;
  is_foundation: boolean;
  added_by_run_id: string;
  added_at: Date;
  size_bytes: number;
  snapshot?: Record<string, unknown>;
}

export function toBackupItemView(row: BackupItemRow): BackupItemView {
  return {
    id: row.id,
    backupSetId: row.backup_set_id,
    policyId: row.policy_id,
    policyVersionId: row.policy_version_id,
    policyType: row.policy_type,
    graphId: row.graph_id,
    displayName: row.display_name,
    isFoundation: row.is_foundation,
    addedByRunId: row.added_by_run_id,
    addedAt: iso(row.added_at),
    ...(row.snapshot !== undefined ? { snapshot: row.snapshot } : {}),
  };
}
