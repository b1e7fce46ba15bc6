import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource } from 'typeorm';
import type { BackupSetStatus, CapturedReferences } from '@policyvault/contracts';
import { EntityRows, jsonTextsParameter, type PreparedStatement } from '@policyvault/platform';
import { ADD_BACKUP_ITEMS, BACKUP_ITEMS_OF_SET, FINISH_BACKUP_SET, backupSetOfRun, createBackupSetForRun } from '../database/capture.sql.js';
import { BackupItemEntity } from './backup-item.entity.js';
import { BackupSetEntity } from './backup-set.entity.js';

export type FinishedSetStatus = Exclude<BackupSetStatus, 'capturing'>;

export interface ExistingBackupItem {
  backupItemId: string;
  policyVersionId: string;
  addedByRunId: string;
  /** The run that stored the item's version (tells "captured" from "unchanged" on a redelivery). */
  versionCapturedByRunId: string;
}

export interface NewBackupItem {
  policyId: string;
  policyVersionId: string;
  isFoundation: boolean;
  referenceNames: CapturedReferences;
}

export interface AddedBackupItem {
  backupItemId: string;
  addedByRunId: string;
}

/** Backup sets and items, for the jobs. Every method takes the tenant first. */
@Injectable()
export class BackupSetsRepository {
  /** A set's row as `find` gives it, for the prepared statements every backup run makes. */
  private readonly rows: EntityRows<BackupSetEntity>;
  private readonly createForRunStatement: PreparedStatement<Record<string, unknown>>;
  private readonly ofRunStatement: PreparedStatement<Record<string, unknown>>;

  constructor(@InjectDataSource() private readonly database: DataSource) {
    this.rows = new EntityRows(database, BackupSetEntity);
    this.createForRunStatement = createBackupSetForRun(this.rows.columns);
    this.ofRunStatement = backupSetOfRun(this.rows.columns);
  }

  private get sets() {
    return this.database.getRepository(BackupSetEntity);
  }

  /**
   * The set this run creates: made on the first delivery (one round trip), found again on a redelivery or after a
   * concurrent delivery made it (unique run id; a second round trip).
   */
  async createForRun(tenantId: string, runId: string, name: string, includeFoundations: boolean, scheduleId: string | null = null): Promise<BackupSetEntity> {
    const [created] = await this.createForRunStatement.rows(this.database, [randomUUID(), tenantId, name, includeFoundations, runId, scheduleId]);
    const [row] = created ? [created] : await this.ofRunStatement.rows(this.database, [tenantId, runId]);
    if (!row) throw new Error('the backup set of this run belongs to another tenant');
    return this.rows.hydrate(row);
  }

  async find(tenantId: string, backupSetId: string): Promise<BackupSetEntity | undefined> {
    return (await this.sets.findOneBy({ tenantId, id: backupSetId })) ?? undefined;
  }

  async finish(tenantId: string, backupSetId: string, status: FinishedSetStatus): Promise<void> {
    await FINISH_BACKUP_SET.rows(this.database, [tenantId, backupSetId, status]);
  }

  /** The set's items by policy id: what a run (or its redelivery) does not need to capture again. */
  async itemsByPolicy(tenantId: string, backupSetId: string): Promise<Map<string, ExistingBackupItem>> {
    const rows = await BACKUP_ITEMS_OF_SET.rows(this.database, [tenantId, backupSetId]);
    return new Map(rows.map(({ policyId, ...item }) => [policyId, item]));
  }

  /**
   * Adds a policy's version to the set, once: when the policy is already in it (a concurrent run got
   * there first), the existing item comes back and the caller reports it as already in the set.
   */
  async addItem(tenantId: string, item: NewBackupItem & { backupSetId: string; runId: string }): Promise<AddedBackupItem> {
    const [added] = await this.addItems(tenantId, item.backupSetId, item.runId, [item]);
    return added;
  }

  /** `addItem` for items of distinct policies (a chunk of a capture): one insert, one result per item, in order. */
  async addItems(tenantId: string, backupSetId: string, runId: string, items: NewBackupItem[]): Promise<AddedBackupItem[]> {
    if (items.length === 0) return [];
    const inserted = await ADD_BACKUP_ITEMS.rows(this.database, [
      tenantId,
      backupSetId,
      runId,
      items.map(() => randomUUID()),
      items.map((item) => item.policyId),
      items.map((item) => item.policyVersionId),
      items.map((item) => item.isFoundation),
      jsonTextsParameter(items.map((item) => JSON.stringify(item.referenceNames))),
    ]);
    const added = new Map<string, AddedBackupItem>(inserted.map((row) => [row.policyId, { backupItemId: row.id, addedByRunId: runId }]));
    const missing = items.filter((item) => !added.has(item.policyId)).map((item) => item.policyId);
    if (missing.length > 0) {
      const existing = await this.database.getRepository(BackupItemEntity).find({
        select: { id: true, policyId: true, addedByRunId: true },
        where: { tenantId, backupSetId, policyId: In(missing) },
      });
      for (const item of existing) added.set(item.policyId, { backupItemId: item.id, addedByRunId: item.addedByRunId });
    }
    return items.map((item) => {
      const result = added.get(item.policyId);
      if (!result) throw new Error('the backup item was neither inserted nor found');
      return result;
    });
  }
}
