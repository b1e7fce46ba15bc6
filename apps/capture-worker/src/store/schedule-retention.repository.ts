import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { BackupSetStatus } from '@policyvault/contracts';

/** A backup set made by a schedule, as retention weighs it. */
export interface ScheduleSet {
  id: string;
  status: BackupSetStatus;
  createdAt: Date;
}

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
      const rows: { id: string; status: BackupSetStatus; created_at: Date }[] = await manager.query(
        `SELECT id, status, created_at FROM capture.backup_sets WHERE tenant_id = $1 AND schedule_id = $2 ORDER BY id FOR UPDATE`,
        [tenantId, scheduleId],
      );
      const removed = choose(rows.map((row) => ({ id: row.id, status: row.status, createdAt: row.created_at })));
      if (removed.length === 0) return { removedBackupSetIds: [], removedVersions: 0 };
      const referenced: { policy_version_id: string; policy_id: string }[] = await manager.query(
        `SELECT DISTINCT policy_version_id, policy_id FROM capture.backup_items WHERE tenant_id = $1 AND backup_set_id = ANY($2::uuid[])`,
        [tenantId, removed],
      );
      const policyIds = [...new Set(referenced.map((row) => row.policy_id))].sort();
      await manager.query(`SELECT id FROM capture.policies WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`, [tenantId, policyIds]);
      await manager.query(`DELETE FROM capture.backup_items WHERE tenant_id = $1 AND backup_set_id = ANY($2::uuid[])`, [tenantId, removed]);
      await manager.query(`DELETE FROM capture.backup_sets WHERE tenant_id = $1 AND schedule_id = $2 AND id = ANY($3::uuid[])`, [tenantId, scheduleId, removed]);
      // A DELETE answers [rows, affected count] through TypeORM's Postgres driver.
      const [versions]: [{ id: string }[], number] = await manager.query(
        `DELETE FROM capture.policy_versions v
         WHERE v.tenant_id = $1 AND v.id = ANY($2::uuid[])
           AND NOT EXISTS (SELECT 1 FROM capture.backup_items i WHERE i.policy_version_id = v.id)
           AND NOT EXISTS (SELECT 1 FROM capture.policies p WHERE p.latest_version_id = v.id)
         RETURNING v.id`,
        [tenantId, referenced.map((row) => row.policy_version_id)],
      );
      return { removedBackupSetIds: [...removed].sort(), removedVersions: versions.length };
    });
  }
}
