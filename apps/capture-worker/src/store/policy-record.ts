/** A policy of the inventory as the capture code works with it. */
export interface PolicyRecord {
  id: string;
  tenantId: string;
  policyType: string;
  graphId: string;
  displayName: string;
  latestVersionId: string | null;
  missingSince: Date | null;
}

export interface PolicyRow {
  id: string;
  tenant_id: string;
  policy_type: string;
  graph_id: string;
  display_name: string;
  latest_version_id: string | null;
  missing_since: Date | null;
}

export function toPolicyRecord(row: PolicyRow): PolicyRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    policyType: row.policy_type,
    graphId: row.graph_id,
    displayName: row.display_name,
    latestVersionId: row.latest_version_id,
    missingSince: row.missing_since,
  };
}
