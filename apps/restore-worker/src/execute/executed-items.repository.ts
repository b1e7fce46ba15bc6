import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryDeepPartialEntity, Repository } from 'typeorm';
import { sanitizeSafeError } from '@policyvault/contracts';
import { ExecutedItemEntity } from './executed-item.entity.js';

/** One item's state in the ledger, as the restore handler reads and writes it. */
export type LedgerEntry = Pick<ExecutedItemEntity, 'backupItemId' | 'status' | 'action' | 'outcome' | 'label' | 'result' | 'error'>;

const LABEL_LENGTH = 300;

/**
 * The ledger of a live restore (restore.executed_items, one row per run and backup item): `writing`
 * before the first write to Graph, the final status once the item is done — always before its run
 * item is reported and the command acknowledged. A redelivered command reports finished items from
 * here without touching Graph, and recomputes `writing` ones against the live tenant.
 */
@Injectable()
export class ExecutedItemsRepository {
  private readonly items: Repository<ExecutedItemEntity>;

  constructor(@InjectDataSource() database: DataSource) {
    this.items = database.getRepository(ExecutedItemEntity);
  }

  async entries(tenantId: string, runId: string): Promise<Map<string, LedgerEntry>> {
    const rows = await this.items.findBy({ tenantId, runId });
    return new Map(rows.map((row) => [row.backupItemId, row]));
  }

  /** Recorded before the first write; a finished item is never reopened. */
  async markWriting(tenantId: string, runId: string, backupItemId: string, action: LedgerEntry['action'], label: string, result: Record<string, unknown>): Promise<void> {
    await this.upsertWhileWriting({ runId, tenantId, backupItemId, status: 'writing', action, label: label.slice(0, LABEL_LENGTH), result }, ['action', 'result', 'updated_at']).execute();
  }

  /** The item's final state; when another delivery finished it first, that state stands and is returned. */
  async finish(tenantId: string, runId: string, entry: LedgerEntry): Promise<LedgerEntry> {
    const stored: LedgerEntry = { ...entry, label: entry.label?.slice(0, LABEL_LENGTH) ?? null, error: entry.error ? sanitizeSafeError(entry.error) : null };
    const { raw } = await this.upsertWhileWriting({ runId, tenantId, ...stored }, ['status', 'action', 'outcome', 'label', 'result', 'error', 'updated_at'])
      .returning(['backupItemId'])
      .execute();
    if ((raw as unknown[]).length > 0) return stored;
    const existing = await this.items.findOneBy({ tenantId, runId, backupItemId: entry.backupItemId });
    if (!existing) throw new Error('the restored item belongs to another tenant');
    return existing;
  }

  /**
   * INSERT … ON CONFLICT (run_id, backup_item_id) DO UPDATE, applied only while the stored row is still
   * `writing` and belongs to the same tenant: a finished item stays as its first finisher left it.
   */
  private upsertWhileWriting(row: Omit<ExecutedItemEntity, 'updatedAt' | 'outcome' | 'error'> & Partial<LedgerEntry>, overwrite: string[]) {
    return this.items
      .createQueryBuilder('stored')
      .insert()
      // JSON columns are typed Record<string, unknown>, which TypeORM's deep-partial type cannot express.
      .values({ ...row, updatedAt: () => 'now()' } as QueryDeepPartialEntity<ExecutedItemEntity>)
      .orUpdate(overwrite, ['run_id', 'backup_item_id'], {
        overwriteCondition: { where: `stored.status = 'writing' AND stored.tenant_id = EXCLUDED.tenant_id` },
      })
      .updateEntity(false);
  }
}
