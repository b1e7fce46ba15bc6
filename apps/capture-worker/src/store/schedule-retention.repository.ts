import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource } from 'typeorm';
import { DELETE_UNREFERENCED_VERSIONS, type DeletedVersionRow } from '../database/capture.sql.js';
import { BackupItemEntity } from './backup-item.entity.js';
import { BackupSetEntity } from './backup-set.entity.js';
import { PolicyEntity } from './policy.entity.js';

/** A backup set made by a schedule, as retention weighs it. */
export type ScheduleSet = Pick<BackupSetEntity, 'id' | 'status' | 'createdAt'>;

export interface RemovedBackupSets {
  removedBackupSetIds: string[];
  /** Policy versions deleted because no remaining set (nor the inventory's latest version) referenced them. */
  removedVersions: number;
}

/**
 * Removes backup sets made by a schedule, for its retention. Only sets with this schedule id are ever
 * read or deleted (sets made by hand have none), and every query is scoped by the tenant.
 */
@Injectable()
export class ScheduleRetentionRepository {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  /**
   * In one transaction: locks the schedule's sets (two retentions of one schedule take turns), asks
   * `choose` which go, deletes them with their items, then deletes the versions those items pointed at
   * that nothing references any more — no item of another set, not the policy's latest version. The
   * policies of those versions are locked first (the lock a capture takes to record a version), so a
   * capture cannot pick a version up while it is being deleted.
   */
  async removeScheduleSets(tenantId: string, scheduleId: string, choose: (sets: ScheduleSet[]) => string[]): Promise<RemovedBackupSets> {
    return this.database.transaction(async (manager) => {
      const sets: ScheduleSet[] = await manager.find(BackupSetEntity, {
        select: { id: true, status: true, createdAt: true },
        where: { tenantId, scheduleId },
        order: { id: 'ASC' },
        lock: { mode: 'pessimistic_write' },
      });
      const removed = choose(sets);
      if (removed.length === 0) return { removedBackupSetIds: [], removedVersions: 0 };
      const referenced = await manager
        .createQueryBuilder(BackupItemEntity, 'item')
        .select('item.policyVersionId', 'policyVersionId')
        .addSelect('item.policyId', 'policyId')
        .distinct(true)
        .where({ tenantId, backupSetId: In(removed) })
        .getRawMany<Pick<BackupItemEntity, 'policyVersionId' | 'policyId'>>();
      const policyIds = [...new Set(referenced.map((row) => row.policyId))].sort();
      if (policyIds.length > 0) {
        await manager.find(PolicyEntity, { select: { id: true }, where: { tenantId, id: In(policyIds) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
      }
      await manager.delete(BackupItemEntity, { tenantId, backupSetId: In(removed) });
      await manager.delete(BackupSetEntity, { tenantId, scheduleId, id: In(removed) });
      // A DELETE answers [rows, affected count] through TypeORM's Postgres driver.
      const [versions]: [DeletedVersionRow[], number] = await manager.query(DELETE_UNREFERENCED_VERSIONS, [
        tenantId,
        referenced.map((row) => row.policyVersionId),
      ]);
      return { removedBackupSetIds: [...removed].sort(), removedVersions: versions.length };
    });
  }
}
