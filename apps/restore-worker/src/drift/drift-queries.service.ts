import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  DEFAULT_PAGE_SIZE,
  type DriftItemView,
  type DriftReportPage,
  type DriftReportView,
  type GetDriftReportRequest,
  type ListDriftReportsRequest,
  type Page,
} from '@policyvault/contracts';
import { RpcException, decodeCursor, encodeCursor, owningTenant } from '@policyvault/platform';
import { DriftItemEntity } from './drift-item.entity.js';
import { DriftReportEntity } from './drift-report.entity.js';

/** A page of items with their differences stays well under NATS's default 1 MiB message size. */
const DRIFT_PAGE_BUDGET_BYTES = 512 * 1024;

/** DriftRpc: stored drift reports, newest first, and one report's items page by page; tenant-scoped. */
@Injectable()
export class DriftQueriesService {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  async listReports({ tenantId, limit = DEFAULT_PAGE_SIZE, cursor }: ListDriftReportsRequest): Promise<Page<DriftReportView>> {
    const after = cursor ? decodeCursor(cursor, 2) : undefined;
    const query = this.database
      .createQueryBuilder(DriftReportEntity, 'report')
      .addSelect(`to_json(report.created_at) #>> '{}'`, 'cursor_time')
      .where({ tenantId });
    if (after) query.andWhere('(report.created_at, report.id) < (:afterTime::timestamptz, :afterId::uuid)', { afterTime: after[0], afterId: after[1] });
    const { entities, raw } = await query.orderBy('report.created_at', 'DESC').addOrderBy('report.id', 'DESC').limit(limit + 1).getRawAndEntities<{ cursor_time: string }>();
    const items = entities.slice(0, limit);
    const last = items.length - 1;
    return { items: items.map(toReportView), nextCursor: entities.length > limit && last >= 0 ? encodeCursor([raw[last].cursor_time, items[last].id]) : null };
  }

  async getReport({ tenantId, reportId, status, limit = DEFAULT_PAGE_SIZE, cursor }: GetDriftReportRequest): Promise<DriftReportPage> {
    const report = await this.database.getRepository(DriftReportEntity).findOneBy({ tenantId, id: reportId });
    if (!report) throw RpcException.notFoundOrOtherTenant('drift report', await owningTenant(this.database.manager, DriftReportEntity, { id: reportId }), tenantId);
    const after = cursor ? Number(decodeCursor(cursor, 1)[0]) : -1;
    if (!Number.isInteger(after)) throw RpcException.validation(['cursor: is not a cursor this API returned']);
    const query = this.database
      .createQueryBuilder(DriftItemEntity, 'item')
      .addSelect('octet_length(item.differences::text)', 'size_bytes')
      .where({ tenantId, reportId })
      .andWhere('item.position > :after', { after });
    if (status) query.andWhere({ status });
    const { entities: rows, raw } = await query.orderBy('item.position').limit(limit + 1).getRawAndEntities<{ size_bytes: number }>();
    let size = Math.min(limit, rows.length);
    let bytes = 0;
    for (let index = 0; index < size; index += 1) {
      bytes += Number(raw[index].size_bytes);
      if (bytes > DRIFT_PAGE_BUDGET_BYTES && index > 0) {
        size = index;
        break;
      }
    }
    const items = rows.slice(0, size);
    return {
      report: toReportView(report),
      items: items.map(toItemView),
      nextCursor: rows.length > size && items.length > 0 ? encodeCursor([String(items[items.length - 1].position)]) : null,
    };
  }
}

function toReportView(report: DriftReportEntity): DriftReportView {
  return {
    id: report.id,
    tenantId: report.tenantId,
    runId: report.runId,
    baselineBackupSetId: report.baselineBackupSetId,
    state: report.finishedAt ? 'complete' : 'running',
    driftStatus: report.driftStatus,
    counts: { added: report.added, removed: report.removed, changed: report.changed, unchanged: report.unchanged },
    createdAt: report.createdAt.toISOString(),
    finishedAt: report.finishedAt?.toISOString() ?? null,
  };
}

function toItemView(item: DriftItemEntity): DriftItemView {
  return {
    id: item.itemKey,
    policyType: item.policyType,
    displayName: item.displayName,
    liveId: item.liveId,
    backupItemId: item.backupItemId,
    status: item.status,
    differences: item.differences,
  };
}
