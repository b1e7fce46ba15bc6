import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryDeepPartialEntity, Repository } from 'typeorm';
import { DRIFT_ITEM_STATUSES, type DriftCounts, type DriftItemStatus, type DriftStatus } from '@policyvault/contracts';
import { DriftItemEntity } from './drift-item.entity.js';
import { DriftReportEntity } from './drift-report.entity.js';

/** One compared policy, as the drift check stores and reports it. */
export type StoredDriftItem = Omit<DriftItemEntity, 'reportId' | 'tenantId'>;

/** The write side of drift reports (restore.drift_reports, restore.drift_items); tenant first everywhere. */
@Injectable()
export class DriftReportsRepository {
  private readonly reports: Repository<DriftReportEntity>;
  private readonly items: Repository<DriftItemEntity>;

  constructor(@InjectDataSource() database: DataSource) {
    this.reports = database.getRepository(DriftReportEntity);
    this.items = database.getRepository(DriftItemEntity);
  }

  /** The run's report: made on the first delivery, the same one on a redelivery. */
  async start(tenantId: string, runId: string, baselineBackupSetId: string): Promise<DriftReportEntity> {
    await this.reports.createQueryBuilder().insert().values({ tenantId, runId, baselineBackupSetId }).orIgnore().updateEntity(false).execute();
    return this.reports.findOneByOrFail({ tenantId, runId });
  }

  /** The run's report when an earlier delivery started it (its baseline is the run's baseline). */
  findForRun(tenantId: string, runId: string): Promise<DriftReportEntity | null> {
    return this.reports.findOneBy({ tenantId, runId });
  }

  /** What earlier deliveries stored, by item key: a redelivery reports these as they are. */
  async storedItems(tenantId: string, reportId: string): Promise<Map<string, StoredDriftItem>> {
    const rows = await this.items.findBy({ tenantId, reportId });
    return new Map(rows.map(({ reportId: _reportId, tenantId: _tenantId, ...item }) => [item.itemKey, item]));
  }

  /** One statement per page; an item an earlier delivery stored is kept as it was. */
  async saveItems(tenantId: string, reportId: string, items: StoredDriftItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.items
      .createQueryBuilder()
      .insert()
      // JSON columns are typed as contract views, which TypeORM's deep-partial type cannot express.
      .values(items.map((item) => ({ ...item, reportId, tenantId })) as QueryDeepPartialEntity<DriftItemEntity>[])
      .orIgnore()
      .updateEntity(false)
      .execute();
  }

  /** Counts what is stored (so a redelivery's summary matches the items), finishes the report. */
  async complete(tenantId: string, reportId: string): Promise<{ counts: DriftCounts; driftStatus: DriftStatus }> {
    const rows = await this.items
      .createQueryBuilder('item')
      .select('item.status', 'status')
      .addSelect('count(*)::int', 'count')
      .where({ tenantId, reportId })
      .groupBy('item.status')
      .getRawMany<{ status: DriftItemStatus; count: number }>();
    const counts = Object.fromEntries(DRIFT_ITEM_STATUSES.map((status) => [status, rows.find((row) => row.status === status)?.count ?? 0])) as DriftCounts;
    const driftStatus: DriftStatus = counts.added + counts.removed + counts.changed > 0 ? 'drifted' : 'none';
    await this.reports.update({ tenantId, id: reportId }, { ...counts, driftStatus, finishedAt: () => 'clock_timestamp()' });
    return { counts, driftStatus };
  }
}
