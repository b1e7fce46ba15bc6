import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DEFAULT_PAGE_SIZE, type GetRestorePreviewRequest, type RestoreAction, type RestorePreviewItemView, type RestorePreviewPage } from '@policyvault/contracts';
import { RpcException } from '@policyvault/platform';

/** A page of preview items (request bodies, diffs) stays well under NATS's default 1 MiB message size. */
export const PREVIEW_PAGE_BUDGET_BYTES = 512 * 1024;

interface PreviewRow {
  run_id: string;
  backup_set_id: string;
  started_at: Date;
  computed_at: Date | null;
}

interface ItemRow {
  backup_item_id: string;
  position: number;
  policy_type: string;
  display_name: string;
  action: RestoreAction;
  matched_by: 'id' | 'name' | null;
  live_id: string | null;
  request: RestorePreviewItemView['request'];
  differences: RestorePreviewItemView['differences'];
  reason: string | null;
  size_bytes: number;
}

const ACTIONS: RestoreAction[] = ['create', 'update', 'no_change', 'skipped'];

/** RestoreRpc.getPreview: a persisted preview, page by page in backup-set order, tenant-scoped. */
@Injectable()
export class PreviewQueriesService {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  async getPreview({ tenantId, runId, limit = DEFAULT_PAGE_SIZE, cursor }: GetRestorePreviewRequest): Promise<RestorePreviewPage> {
    const previews: PreviewRow[] = await this.database.query(
      `SELECT run_id, backup_set_id, started_at, computed_at FROM restore.previews WHERE run_id = $1 AND tenant_id = $2`,
      [runId, tenantId],
    );
    if (previews.length === 0) throw RpcException.notFound('restore preview');
    const after = cursor === undefined ? -1 : decodeCursor(cursor);
    const counts: { action: RestoreAction; count: number }[] = await this.database.query(
      `SELECT action, count(*)::int AS count FROM restore.preview_items WHERE run_id = $1 AND tenant_id = $2 GROUP BY action`,
      [runId, tenantId],
    );
    const rows: ItemRow[] = await this.database.query(
      `SELECT backup_item_id, position, policy_type, display_name, action, matched_by, live_id, request, differences, reason,
              octet_length(coalesce(request::text, '')) + octet_length(differences::text) AS size_bytes
       FROM restore.preview_items
       WHERE run_id = $1 AND tenant_id = $2 AND position > $3
       ORDER BY position
       LIMIT $4`,
      [runId, tenantId, after, limit + 1],
    );
    let size = Math.min(limit, rows.length);
    let bytes = 0;
    for (let index = 0; index < size; index += 1) {
      bytes += Number(rows[index].size_bytes);
      if (bytes > PREVIEW_PAGE_BUDGET_BYTES && index > 0) {
        size = index;
        break;
      }
    }
    const items = rows.slice(0, size);
    const totals = Object.fromEntries(ACTIONS.map((action) => [action, counts.find((count) => count.action === action)?.count ?? 0])) as Record<RestoreAction, number>;
    return {
      runId,
      backupSetId: previews[0].backup_set_id,
      computedAt: (previews[0].computed_at ?? previews[0].started_at).toISOString(),
      totals,
      items: items.map(toView),
      nextCursor: rows.length > size && items.length > 0 ? encodeCursor(items[items.length - 1].position) : null,
    };
  }
}

function toView(row: ItemRow): RestorePreviewItemView {
  return {
    backupItemId: row.backup_item_id,
    policyType: row.policy_type,
    displayName: row.display_name,
    action: row.action,
    matchedBy: row.matched_by,
    liveId: row.live_id,
    request: row.request,
    differences: row.differences,
    reason: row.reason,
  };
}

const encodeCursor = (position: number) => Buffer.from(JSON.stringify([String(position)])).toString('base64url');

function decodeCursor(cursor: string): number {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const position = Array.isArray(parts) && parts.length === 1 ? Number(parts[0]) : Number.NaN;
    if (Number.isInteger(position) && position >= 0) return position;
  } catch {
    // fall through
  }
  throw RpcException.validation(['cursor: is not a cursor this API returned']);
}
