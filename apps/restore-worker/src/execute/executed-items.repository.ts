import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { sanitizeSafeError, type RestoreAction, type SafeError } from '@policyvault/contracts';

export type LedgerStatus = 'writing' | 'succeeded' | 'failed' | 'skipped';

export interface LedgerEntry {
  backupItemId: string;
  status: LedgerStatus;
  action: RestoreAction;
  outcome: string | null;
  label: string | null;
  result: Record<string, unknown> | null;
  error: SafeError | null;
}

interface LedgerRow {
  backup_item_id: string;
  status: LedgerStatus;
  action: RestoreAction;
  outcome: string | null;
  label: string | null;
  result: Record<string, unknown> | null;
  error: SafeError | null;
}

const toEntry = (row: LedgerRow): LedgerEntry => ({
  backupItemId: row.backup_item_id,
  status: row.status,
  action: row.action,
  outcome: row.outcome,
  label: row.label,
  result: row.result,
  error: row.error,
});

const COLUMNS = 'backup_item_id, status, action, outcome, label, result, error';

/**
 * The ledger of a live restore (restore.executed_items, one row per run and backup item): `writing`
 * before the first write to Graph, the final status once the item is done — always before its run
 * item is reported and the command acknowledged. A redelivered command reports finished items from
 * here without touching Graph, and recomputes `writing` ones against the live tenant.
 */
@Injectable()
export class ExecutedItemsRepository {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  async entries(tenantId: string, runId: string): Promise<Map<string, LedgerEntry>> {
    const rows: LedgerRow[] = await this.database.query(`SELECT ${COLUMNS} FROM restore.executed_items WHERE tenant_id = $1 AND run_id = $2`, [tenantId, runId]);
    return new Map(rows.map((row) => [row.backup_item_id, toEntry(row)]));
  }

  /** Recorded before the first write; a finished item is never reopened. */
  async markWriting(tenantId: string, runId: string, backupItemId: string, action: RestoreAction, label: string, result: Record<string, unknown>): Promise<void> {
    await this.database.query(
      `INSERT INTO restore.executed_items (run_id, tenant_id, backup_item_id, status, action, label, result, updated_at)
       VALUES ($1, $2, $3, 'writing', $4, $5, $6, now())
       ON CONFLICT (run_id, backup_item_id) DO UPDATE SET action = EXCLUDED.action, result = EXCLUDED.result, updated_at = now()
       WHERE restore.executed_items.status = 'writing' AND restore.executed_items.tenant_id = EXCLUDED.tenant_id`,
      [runId, tenantId, backupItemId, action, label.slice(0, 300), JSON.stringify(result)],
    );
  }

  /** The item's final state; when another delivery finished it first, that state stands and is returned. */
  async finish(tenantId: string, runId: string, entry: LedgerEntry): Promise<LedgerEntry> {
    const rows: LedgerRow[] = await this.database.query(
      `INSERT INTO restore.executed_items (run_id, tenant_id, backup_item_id, status, action, outcome, label, result, error, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
       ON CONFLICT (run_id, backup_item_id) DO UPDATE SET
         status = EXCLUDED.status, action = EXCLUDED.action, outcome = EXCLUDED.outcome, label = EXCLUDED.label,
         result = EXCLUDED.result, error = EXCLUDED.error, updated_at = now()
       WHERE restore.executed_items.status = 'writing' AND restore.executed_items.tenant_id = EXCLUDED.tenant_id
       RETURNING ${COLUMNS}`,
      [
        runId,
        tenantId,
        entry.backupItemId,
        entry.status,
        entry.action,
        entry.outcome,
        entry.label?.slice(0, 300) ?? null,
        entry.result ? JSON.stringify(entry.result) : null,
        entry.error ? JSON.stringify(sanitizeSafeError(entry.error)) : null,
      ],
    );
    if (rows.length > 0) return toEntry(rows[0]);
    const existing: LedgerRow[] = await this.database.query(
      `SELECT ${COLUMNS} FROM restore.executed_items WHERE tenant_id = $1 AND run_id = $2 AND backup_item_id = $3`,
      [tenantId, runId, entry.backupItemId],
    );
    if (existing.length === 0) throw new Error('the restored item belongs to another tenant');
    return toEntry(existing[0]);
  }
}
