import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DEFAULT_PAGE_SIZE, RESTORE_ACTIONS, type GetRestorePreviewRequest, type RestoreAction, type RestorePreviewItemView, type RestorePreviewPage } from '@policyvault/contracts';
import { RpcException, owningTenant } from '@policyvault/platform';
import { PreviewItemEntity } from './preview-item.entity.js';
import { PreviewEntity } from './preview.entity.js';

/** A page of preview items (request bodies, diffs) stays well under NATS's default 1 MiB message size. */
export const PREVIEW_PAGE_BUDGET_BYTES = 512 * 1024;

/** RestoreRpc.getPreview: a persisted preview, page by page in backup-set order, tenant-scoped. */
@Injectable()
export class PreviewQueriesService {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  async getPreview({ tenantId, runId, limit = DEFAULT_PAGE_SIZE, cursor }: GetRestorePreviewRequest): Promise<RestorePreviewPage> {
    const preview = await this.database.getRepository(PreviewEntity).findOneBy({ runId, tenantId });
    if (!preview) throw RpcException.notFoundOrOtherTenant('restore preview', await owningTenant(this.database.manager, PreviewEntity, { runId }), tenantId);
    const after = cursor === undefined ? -1 : decodeCursor(cursor);
    const previewItems = this.database.getRepository(PreviewItemEntity);
    const counts = await previewItems
      .createQueryBuilder('item')
      .select('item.action', 'action')
      .addSelect('count(*)::int', 'count')
      .where({ runId, tenantId })
      .groupBy('item.action')
      .getRawMany<{ action: RestoreAction; count: number }>();
    // The size of what the page will carry, measured by Postgres so a page of large diffs is cut short.
    const { entities: rows, raw } = await previewItems
      .createQueryBuilder('item')
      .addSelect(`octet_length(coalesce(item.request::text, '')) + octet_length(item.requests::text) + octet_length(item.differences::text)`, 'size_bytes')
      .where({ runId, tenantId })
      .andWhere('item.position > :after', { after })
      .orderBy('item.position')
      .limit(limit + 1)
      .getRawAndEntities<{ size_bytes: number }>();
    let size = Math.min(limit, rows.length);
    let bytes = 0;
    for (let index = 0; index < size; index += 1) {
      bytes += Number(raw[index].size_bytes);
      if (bytes > PREVIEW_PAGE_BUDGET_BYTES && index > 0) {
        size = index;
        break;
      }
    }
    const items = rows.slice(0, size);
    const totals = Object.fromEntries(RESTORE_ACTIONS.map((action) => [action, counts.find((count) => count.action === action)?.count ?? 0])) as Record<RestoreAction, number>;
    return {
      runId,
      backupSetId: preview.backupSetId,
      computedAt: (preview.computedAt ?? preview.startedAt).toISOString(),
      totals,
      items: items.map(toView),
      nextCursor: rows.length > size && items.length > 0 ? encodeCursor(items[items.length - 1].position) : null,
    };
  }
}

function toView(item: PreviewItemEntity): RestorePreviewItemView {
  return {
    backupItemId: item.backupItemId,
    policyType: item.policyType,
    displayName: item.displayName,
    action: item.action,
    matchedBy: item.matchedBy,
    liveId: item.liveId,
    request: item.request,
    requests: item.requests,
    differences: item.differences,
    reason: item.reason,
    ambiguity: item.ambiguity,
    unmapped: item.unmapped,
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
