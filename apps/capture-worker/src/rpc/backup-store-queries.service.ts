import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  DEFAULT_PAGE_SIZE,
  type BackupItemView,
  type BackupSetView,
  type GetBackupSetRequest,
  type GetPolicyVersionRequest,
  type ListBackupItemsRequest,
  type ListBackupSetsRequest,
  type ListPoliciesRequest,
  type ListPolicyVersionsRequest,
  type Page,
  type PolicyVersionSummary,
  type PolicyVersionView,
  type PolicyView,
} from '@policyvault/contracts';
import { RpcException, decodeCursor, encodeCursor } from '@policyvault/platform';
import {
  toBackupItemView,
  toBackupSetView,
  toPolicyVersionSummary,
  toPolicyVersionView,
  toPolicyView,
  type BackupItemRow,
  type BackupSetRow,
  type PolicyVersionRow,
  type PolicyViewRow,
} from './backup-store-view.mapper.js';

/** A page of items with snapshots stays well under NATS's default 1 MiB message size. */
export const SNAPSHOT_PAGE_BUDGET_BYTES = 512 * 1024;

const BACKUP_SET_COLUMNS = `s.*, (SELECT count(*) FROM capture.backup_items i WHERE i.backup_set_id = s.id)::int AS item_count`;

/**
 * The backup store's read side for BackupStoreRpc (gateway, restore-worker). Every query is scoped by
 * the tenant id it is given; an object of another tenant is "not found". Keyset pagination everywhere,
 * with cursors on immutable or full-precision keys so pages stay stable while captures run.
 */
@Injectable()
export class BackupStoreQueriesService {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  /** By display name, then id. */
  async listPolicies({ tenantId, policyType, search, limit = DEFAULT_PAGE_SIZE, cursor }: ListPoliciesRequest): Promise<Page<PolicyView>> {
    const after = cursor ? decodeCursor(cursor, 2) : undefined;
    const pattern = search ? `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%` : null;
    const rows: PolicyViewRow[] = await this.database.query(
      `SELECT * FROM capture.policies
       WHERE tenant_id = $1
         AND ($2::text IS NULL OR policy_type = $2)
         AND ($3::text IS NULL OR display_name ILIKE $3)
         AND ($4::text IS NULL OR (display_name, id) > ($4::text, $5::uuid))
       ORDER BY display_name, id
       LIMIT $6`,
      [tenantId, policyType ?? null, pattern, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return page(rows, limit, toPolicyView, (row) => [row.display_name, row.id]);
  }

  /** Newest first. */
  async listPolicyVersions({ tenantId, policyId, limit = DEFAULT_PAGE_SIZE, cursor }: ListPolicyVersionsRequest): Promise<Page<PolicyVersionSummary>> {
    await this.assertExists(`SELECT 1 FROM capture.policies WHERE id = $1 AND tenant_id = $2`, [policyId, tenantId], 'policy');
    const after = cursor ? decodeCursor(cursor, 2) : undefined;
    const rows: (PolicyVersionRow & { cursor_time: string })[] = await this.database.query(
      `SELECT id, tenant_id, policy_id, content_hash, captured_at, captured_by_run_id, size_bytes,
              to_json(captured_at) #>> '{}' AS cursor_time
       FROM capture.policy_versions
       WHERE tenant_id = $1 AND policy_id = $2
         AND ($3::timestamptz IS NULL OR (captured_at, id) < ($3::timestamptz, $4::uuid))
       ORDER BY captured_at DESC, id DESC
       LIMIT $5`,
      [tenantId, policyId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return page(rows, limit, toPolicyVersionSummary, (row) => [row.cursor_time, row.id]);
  }

  async getPolicyVersion({ tenantId, versionId }: GetPolicyVersionRequest): Promise<PolicyVersionView> {
    const rows: Parameters<typeof toPolicyVersionView>[0][] = await this.database.query(
      `SELECT v.*, p.graph_id, p.policy_type, p.display_name
       FROM capture.policy_versions v JOIN capture.policies p ON p.id = v.policy_id
       WHERE v.id = $1 AND v.tenant_id = $2`,
      [versionId, tenantId],
    );
    if (rows.length === 0) throw RpcException.notFound('policy version');
    return toPolicyVersionView(rows[0]);
  }

  /** Newest first. */
  async listBackupSets({ tenantId, limit = DEFAULT_PAGE_SIZE, cursor }: ListBackupSetsRequest): Promise<Page<BackupSetView>> {
    const after = cursor ? decodeCursor(cursor, 2) : undefined;
    const rows: (BackupSetRow & { cursor_time: string })[] = await this.database.query(
      `SELECT ${BACKUP_SET_COLUMNS}, to_json(s.created_at) #>> '{}' AS cursor_time
       FROM capture.backup_sets s
       WHERE s.tenant_id = $1
         AND ($2::timestamptz IS NULL OR (s.created_at, s.id) < ($2::timestamptz, $3::uuid))
       ORDER BY s.created_at DESC, s.id DESC
       LIMIT $4`,
      [tenantId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return page(rows, limit, toBackupSetView, (row) => [row.cursor_time, row.id]);
  }

  async getBackupSet({ tenantId, backupSetId }: GetBackupSetRequest): Promise<BackupSetView> {
    const rows: BackupSetRow[] = await this.database.query(
      `SELECT ${BACKUP_SET_COLUMNS} FROM capture.backup_sets s WHERE s.id = $1 AND s.tenant_id = $2`,
      [backupSetId, tenantId],
    );
    if (rows.length === 0) throw RpcException.notFound('backup set');
    return toBackupSetView(rows[0]);
  }

  /**
   * In the order they were added. With `includeSnapshots` (restore-worker) a page also stops once its
   * snapshots pass SNAPSHOT_PAGE_BUDGET_BYTES (at least one item per page), so a reply fits in NATS.
   */
  async listBackupItems({
    tenantId,
    backupSetId,
    backupItemIds,
    includeSnapshots = false,
    limit = DEFAULT_PAGE_SIZE,
    cursor,
  }: ListBackupItemsRequest): Promise<Page<BackupItemView>> {
    await this.assertExists(`SELECT 1 FROM capture.backup_sets WHERE id = $1 AND tenant_id = $2`, [backupSetId, tenantId], 'backup set');
    const after = cursor ? decodeCursor(cursor, 2) : undefined;
    const rows: (BackupItemRow & { cursor_time: string })[] = await this.database.query(
      `SELECT i.id, i.backup_set_id, i.policy_id, i.policy_version_id, i.is_foundation, i.added_by_run_id, i.added_at,
              p.policy_type, p.graph_id, p.display_name, v.size_bytes,
              ${includeSnapshots ? 'v.snapshot,' : ''}
              to_json(i.added_at) #>> '{}' AS cursor_time
       FROM capture.backup_items i
       JOIN capture.policies p ON p.id = i.policy_id
       JOIN capture.policy_versions v ON v.id = i.policy_version_id
       WHERE i.tenant_id = $1 AND i.backup_set_id = $2
         AND ($3::uuid[] IS NULL OR i.id = ANY($3::uuid[]))
         AND ($4::timestamptz IS NULL OR (i.added_at, i.id) > ($4::timestamptz, $5::uuid))
       ORDER BY i.added_at, i.id
       LIMIT $6`,
      [tenantId, backupSetId, backupItemIds ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    let pageSize = Math.min(limit, rows.length);
    if (includeSnapshots) {
      let bytes = 0;
      for (let index = 0; index < pageSize; index += 1) {
        bytes += rows[index].size_bytes;
        if (bytes > SNAPSHOT_PAGE_BUDGET_BYTES && index > 0) {
          pageSize = index;
          break;
        }
      }
    }
    return page(rows, pageSize, toBackupItemView, (row) => [row.cursor_time, row.id]);
  }

  private async assertExists(sql: string, parameters: unknown[], what: string): Promise<void> {
    const rows: unknown[] = await this.database.query(sql, parameters);
    if (rows.length === 0) throw RpcException.notFound(what);
  }
}

/** `rows` holds up to one row more than the page: its presence means there is a next page. */
function page<R, V>(rows: R[], size: number, view: (row: R) => V, key: (row: R) => string[]): Page<V> {
  const items = rows.slice(0, size);
  const last = items[items.length - 1];
  return { items: items.map(view), nextCursor: rows.length > size && last ? encodeCursor(key(last)) : null };
}
