import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { sanitizeSafeError, type FieldDifference, type RestoreAction, type SafeError } from '@policyvault/contracts';
import { primaryRequest, type PlannedRequest, type RestorePlan } from '../planning/restore-plan.js';

export interface StoredPreviewItem {
  backupItemId: string;
  position: number;
  policyType: string;
  displayName: string;
  action: RestoreAction;
  matchedBy: 'id' | 'name' | null;
  liveId: string | null;
  request: PlannedRequest | null;
  differences: FieldDifference[];
  reason: string | null;
  error: SafeError | null;
}

interface PreviewItemRow {
  backup_item_id: string;
  position: number;
  policy_type: string;
  display_name: string;
  action: RestoreAction;
  matched_by: 'id' | 'name' | null;
  live_id: string | null;
  request: PlannedRequest | null;
  differences: FieldDifference[];
  reason: string | null;
  error: SafeError | null;
}

export const toStoredPreviewItem = (row: PreviewItemRow): StoredPreviewItem => ({
  backupItemId: row.backup_item_id,
  position: row.position,
  policyType: row.policy_type,
  displayName: row.display_name,
  action: row.action,
  matchedBy: row.matched_by,
  liveId: row.live_id,
  request: row.request,
  differences: row.differences,
  reason: row.reason,
  error: row.error,
});

export function previewItemOf(plan: RestorePlan, position: number): StoredPreviewItem {
  return {
    backupItemId: plan.candidate.backupItemId,
    position,
    policyType: plan.candidate.policyType,
    displayName: plan.candidate.displayName,
    action: plan.action,
    matchedBy: plan.matchedBy,
    liveId: plan.liveId,
    request: primaryRequest(plan),
    differences: plan.differences,
    reason: plan.reason,
    error: plan.error ? sanitizeSafeError(plan.error) : null,
  };
}

/** The previews this worker computed (restore.previews, restore.preview_items); tenant first everywhere. */
@Injectable()
export class PreviewsRepository {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  /** The run's preview: made on the first delivery, kept as is on a redelivery. */
  async start(tenantId: string, runId: string, backupSetId: string, sourceTenantId: string, includeAssignments: boolean): Promise<void> {
    await this.database.query(
      `INSERT INTO restore.previews (run_id, tenant_id, backup_set_id, source_tenant_id, include_assignments, started_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (run_id) DO NOTHING`,
      [runId, tenantId, backupSetId, sourceTenantId, includeAssignments],
    );
  }

  /** Items a previous delivery already computed (reported again, never recomputed). */
  async storedItems(tenantId: string, runId: string): Promise<Map<string, StoredPreviewItem>> {
    const rows: PreviewItemRow[] = await this.database.query(
      `SELECT backup_item_id, position, policy_type, display_name, action, matched_by, live_id, request, differences, reason, error
       FROM restore.preview_items WHERE tenant_id = $1 AND run_id = $2`,
      [tenantId, runId],
    );
    return new Map(rows.map((row) => [row.backup_item_id, toStoredPreviewItem(row)]));
  }

  /** One statement per page of items; an item stored by an earlier delivery is left as it was. */
  async saveItems(tenantId: string, runId: string, items: StoredPreviewItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.database.query(
      `INSERT INTO restore.preview_items
         (run_id, tenant_id, backup_item_id, position, policy_type, display_name, action, matched_by, live_id, request, differences, reason, error)
       SELECT $1, $2, item.backup_item_id, item.position, item.policy_type, item.display_name, item.action, item.matched_by,
              item.live_id, item.request, item.differences, item.reason, item.error
       FROM jsonb_to_recordset($3::jsonb) AS item(
         backup_item_id uuid, position integer, policy_type text, display_name text, action text, matched_by text,
         live_id text, request jsonb, differences jsonb, reason text, error jsonb)
       ON CONFLICT (run_id, backup_item_id) DO NOTHING`,
      [
        runId,
        tenantId,
        JSON.stringify(
          items.map((item) => ({
            backup_item_id: item.backupItemId,
            position: item.position,
            policy_type: item.policyType,
            display_name: item.displayName,
            action: item.action,
            matched_by: item.matchedBy,
            live_id: item.liveId,
            request: item.request,
            differences: item.differences,
            reason: item.reason,
            error: item.error,
          })),
        ),
      ],
    );
  }

  async complete(tenantId: string, runId: string): Promise<void> {
    await this.database.query(`UPDATE restore.previews SET computed_at = now() WHERE tenant_id = $1 AND run_id = $2`, [tenantId, runId]);
  }
}
