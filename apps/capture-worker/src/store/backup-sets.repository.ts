import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { BackupSetStatus } from '@policyvault/contracts';

export interface BackupSetRecord {
  id: string;
  tenantId: string;
  name: string;
  status: BackupSetStatus;
  includeFoundations: boolean;
  createdByRunId: string;
}

export type FinishedSetStatus = Exclude<BackupSetStatus, 'capturing'>;

export interface ExistingBackupItem {
  backupItemId: string;
  policyVersionId: string;
  addedByRunId: string;
  /** The run that stored the item's version (tells "captured" from "unchanged" on a redelivery). */
  versionCapturedByRunId: string;
}

interface BackupSetRow {
  id: string;
  tenant_id: string;
  name: string;
  status: BackupSetStatus;
  include_foundations: boolean;
  created_by_run_id: string;
}

const toRecord = (row: BackupSetRow): BackupSetRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  status: row.status,
  includeFoundations: row.include_foundations,
  createdByRunId: row.created_by_run_id,
});

/** Backup sets and items, for the jobs. Every method takes the tenant first. */
@Injectable()
export class BackupSetsRepository {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  /** The set this run creates: made on the first delivery, found again on a redelivery (unique run id). */
  async createForRun(tenantId: string, runId: string, name: string, includeFoundations: boolean, scheduleId: string | null = null): Promise<BackupSetRecord> {
    await this.database.query(
      `INSERT INTO capture.backup_sets (id, tenant_id, name, status, include_foundations, created_by_run_id, schedule_id, created_at)
       VALUES ($1, $2, $3, 'capturing', $4, $5, $6, clock_timestamp())
       ON CONFLICT (created_by_run_id) DO NOTHING`,
      [randomUUID(), tenantId, name, includeFoundations, runId, scheduleId],
    );
    const rows: BackupSetRow[] = await this.database.query(
      `SELECT * FROM capture.backup_sets WHERE tenant_id = $1 AND created_by_run_id = $2`,
      [tenantId, runId],
    );
    if (rows.length === 0) throw new Error('the backup set of this run belongs to another tenant');
    return toRecord(rows[0]);
  }

  async find(tenantId: string, backupSetId: string): Promise<BackupSetRecord | undefined> {
    const rows: BackupSetRow[] = await this.database.query(
      `SELECT * FROM capture.backup_sets WHERE tenant_id = $1 AND id = $2`,
      [tenantId, backupSetId],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async finish(tenantId: string, backupSetId: string, status: FinishedSetStatus): Promise<void> {
    await this.database.query(
      `UPDATE capture.backup_sets SET status = $3, completed_at = COALESCE(completed_at, clock_timestamp())
       WHERE tenant_id = $1 AND id = $2`,
      [tenantId, backupSetId, status],
    );
  }

  /** The set's items by policy id: what a run (or its redelivery) does not need to capture again. */
  async itemsByPolicy(tenantId: string, backupSetId: string): Promise<Map<string, ExistingBackupItem>> {
    const rows: { policy_id: string; id: string; policy_version_id: string; added_by_run_id: string; captured_by_run_id: string }[] =
      await this.database.query(
        `SELECT i.policy_id, i.id, i.policy_version_id, i.added_by_run_id, v.captured_by_run_id
         FROM capture.backup_items i JOIN capture.policy_versions v ON v.id = i.policy_version_id
         WHERE i.tenant_id = $1 AND i.backup_set_id = $2`,
        [tenantId, backupSetId],
      );
    return new Map(
      rows.map((row) => [
        row.policy_id,
        { backupItemId: row.id, policyVersionId: row.policy_version_id, addedByRunId: row.added_by_run_id, versionCapturedByRunId: row.captured_by_run_id },
      ]),
    );
  }

  /**
   * Adds a policy's version to the set, once: when the policy is already in it (a concurrent run got
   * there first), the existing item comes back and the caller reports it as already in the set.
   */
  async addItem(
    tenantId: string,
    item: { backupSetId: string; policyId: string; policyVersionId: string; isFoundation: boolean; runId: string },
  ): Promise<{ backupItemId: string; addedByRunId: string }> {
    const inserted: { id: string }[] = await this.database.query(
      `INSERT INTO capture.backup_items (id, tenant_id, backup_set_id, policy_id, policy_version_id, is_foundation, added_by_run_id, added_at)
       SELECT $1, $2, s.id, $4, $5, $6, $7, clock_timestamp() FROM capture.backup_sets s WHERE s.id = $3 AND s.tenant_id = $2
       ON CONFLICT (backup_set_id, policy_id) DO NOTHING
       RETURNING id`,
      [randomUUID(), tenantId, item.backupSetId, item.policyId, item.policyVersionId, item.isFoundation, item.runId],
    );
    if (inserted.length > 0) return { backupItemId: inserted[0].id, addedByRunId: item.runId };
    const existing: { id: string; added_by_run_id: string }[] = await this.database.query(
      `SELECT id, added_by_run_id FROM capture.backup_items WHERE tenant_id = $1 AND backup_set_id = $2 AND policy_id = $3`,
      [tenantId, item.backupSetId, item.policyId],
    );
    if (existing.length === 0) throw new Error('the backup item was neither inserted nor found');
    return { backupItemId: existing[0].id, addedByRunId: existing[0].added_by_run_id };
  }
}
