import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { BackupSetStatus, CapturedReferences } from '@policyvault/contracts';
import { ADD_BACKUP_ITEM, type AddedBackupItemRow } from '../database/capture.sql.js';
import { BackupItemEntity } from './backup-item.entity.js';
import { BackupSetEntity } from './backup-set.entity.js';
import { PolicyVersionEntity } from './policy-version.entity.js';

export type FinishedSetStatus = Exclude<BackupSetStatus, 'capturing'>;

export interface ExistingBackupItem {
  backupItemId: string;
  policyVersionId: string;
  addedByRunId: string;
  /** The run that stored the item's version (tells "captured" from "unchanged" on a redelivery). */
  versionCapturedByRunId: string;
}

/** Backup sets and items, for the jobs. Every method takes the tenant first. */
@Injectable()
export class BackupSetsRepository {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  private get sets() {
    return this.database.getRepository(BackupSetEntity);
  }

  /** The set this run creates: made on the first delivery, found again on a redelivery (unique run id). */
  async createForRun(tenantId: string, runId: string, name: string, includeFoundations: boolean, scheduleId: string | null = null): Promise<BackupSetEntity> {
    await this.sets
      .createQueryBuilder()
      .insert()
      .values({ id: randomUUID(), tenantId, name, status: 'capturing', includeFoundations, createdByRunId: runId, scheduleId, createdAt: () => 'clock_timestamp()' })
      .orIgnore()
      .execute();
    const set = await this.sets.findOneBy({ tenantId, createdByRunId: runId });
    if (!set) throw new Error('the backup set of this run belongs to another tenant');
    return set;
  }

  async find(tenantId: string, backupSetId: string): Promise<BackupSetEntity | undefined> {
    return (await this.sets.findOneBy({ tenantId, id: backupSetId })) ?? undefined;
  }

  async finish(tenantId: string, backupSetId: string, status: FinishedSetStatus): Promise<void> {
    await this.sets.update({ tenantId, id: backupSetId }, { status, completedAt: () => 'COALESCE(completed_at, clock_timestamp())' });
  }

  /** The set's items by policy id: what a run (or its redelivery) does not need to capture again. */
  async itemsByPolicy(tenantId: string, backupSetId: string): Promise<Map<string, ExistingBackupItem>> {
    const rows = await this.database
      .createQueryBuilder(BackupItemEntity, 'item')
      .innerJoin(PolicyVersionEntity, 'version', 'version.id = item.policyVersionId')
      .select('item.policyId', 'policyId')
      .addSelect('item.id', 'backupItemId')
      .addSelect('item.policyVersionId', 'policyVersionId')
      .addSelect('item.addedByRunId', 'addedByRunId')
      .addSelect('version.capturedByRunId', 'versionCapturedByRunId')
      .where({ tenantId, backupSetId })
      .getRawMany<ExistingBackupItem & { policyId: string }>();
    return new Map(rows.map(({ policyId, ...item }) => [policyId, item]));
  }

  /**
   * Adds a policy's version to the set, once: when the policy is already in it (a concurrent run got
   * there first), the existing item comes back and the caller reports it as already in the set.
   */
  async addItem(
    tenantId: string,
    item: { backupSetId: string; policyId: string; policyVersionId: string; isFoundation: boolean; referenceNames: CapturedReferences; runId: string },
  ): Promise<{ backupItemId: string; addedByRunId: string }> {
    const inserted: AddedBackupItemRow[] = await this.database.query(ADD_BACKUP_ITEM, [
      randomUUID(),
      tenantId,
      item.backupSetId,
      item.policyId,
      item.policyVersionId,
      item.isFoundation,
      item.runId,
      JSON.stringify(item.referenceNames),
    ]);
    if (inserted.length > 0) return { backupItemId: inserted[0].id, addedByRunId: item.runId };
    const existing = await this.database.getRepository(BackupItemEntity).findOne({
      select: { id: true, addedByRunId: true },
      where: { tenantId, backupSetId: item.backupSetId, policyId: item.policyId },
    });
    if (!existing) throw new Error('the backup item was neither inserted nor found');
    return { backupItemId: existing.id, addedByRunId: existing.addedByRunId };
  }
}
