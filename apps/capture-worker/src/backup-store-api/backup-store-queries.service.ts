import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import {
  DEFAULT_PAGE_SIZE,
  type BackupItemView,
  type BackupSetView,
  type ExportBackupItemsRequest,
  type ExportedBackupItem,
  type GetBackupSetRequest,
  type GetLatestBackupSetRequest,
  type GetPolicyRequest,
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
import { RpcException, decodeCursor, encodeCursor, owningTenant } from '@policyvault/platform';
import {
  toBackupItemView,
  toBackupSetView,
  toExportedBackupItem,
  toPolicyVersionSummary,
  toPolicyVersionView,
  toPolicyView,
  type BackupItemWithPolicy,
  type PolicyVersionWithPolicy,
} from './backup-store-view.mapper.js';
import { BackupItemEntity } from '../store/backup-item.entity.js';
import { BackupSetEntity } from '../store/backup-set.entity.js';
import { PolicyVersionEntity } from '../store/policy-version.entity.js';
import { PolicyEntity } from '../store/policy.entity.js';

/** A page of items with snapshots stays well under NATS's default 1 MiB message size. */
const SNAPSHOT_PAGE_BUDGET_BYTES = 512 * 1024;

/** A timestamp at full (microsecond) precision, for a cursor: a JavaScript Date keeps milliseconds only. */
const cursorTime = (column: string) => `to_json(${column}) #>> '{}'`;

/** Entities with the raw cursor column the query added, row by row. */
async function withCursorTime<T extends object>(query: SelectQueryBuilder<T>): Promise<{ entity: T; cursorTime: string }[]> {
  const { entities, raw } = await query.getRawAndEntities<{ cursor_time: string }>();
  return entities.map((entity, index) => ({ entity, cursorTime: raw[index].cursor_time }));
}

/**
 * The backup store's read side for BackupStoreRpc (gateway, restore-worker). Every query is scoped by
 * the tenant id it is given; an object of another tenant is `other_tenant` (naming the tenant that holds
 * it, found by `missing`), one of none `not_found`. Keyset pagination everywhere,
 * with cursors on immutable or full-precision keys so pages stay stable while captures run.
 */
@Injectable()
export class BackupStoreQueriesService {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  /** By display name, then id. */
  async listPolicies({ tenantId, policyType, search, limit = DEFAULT_PAGE_SIZE, cursor }: ListPoliciesRequest): Promise<Page<PolicyView>> {
    const after = cursor ? decodeCursor(cursor, 2) : undefined;
    const pattern = search ? `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%` : null;
    const query = this.database.createQueryBuilder(PolicyEntity, 'policy').where({ tenantId });
    if (policyType) query.andWhere({ policyType });
    if (pattern) query.andWhere('policy.display_name ILIKE :pattern', { pattern });
    if (after) query.andWhere('(policy.display_name, policy.id) > (:afterName::text, :afterId::uuid)', { afterName: after[0], afterId: after[1] });
    const rows = await query.orderBy('policy.display_name').addOrderBy('policy.id').limit(limit + 1).getMany();
    return page(rows, limit, toPolicyView, (row) => [row.displayName, row.id]);
  }

  async getPolicy({ tenantId, policyId }: GetPolicyRequest): Promise<PolicyView> {
    const policy = await this.database.getRepository(PolicyEntity).findOneBy({ id: policyId, tenantId });
    if (!policy) throw await this.missing('policy', PolicyEntity, policyId, tenantId);
    return toPolicyView(policy);
  }

  /** Newest first. */
  async listPolicyVersions({ tenantId, policyId, limit = DEFAULT_PAGE_SIZE, cursor }: ListPolicyVersionsRequest): Promise<Page<PolicyVersionSummary>> {
    if (!(await this.database.getRepository(PolicyEntity).existsBy({ id: policyId, tenantId }))) throw await this.missing('policy', PolicyEntity, policyId, tenantId);
    const after = cursor ? decodeCursor(cursor, 2) : undefined;
    const query = this.database
      .createQueryBuilder(PolicyVersionEntity, 'version')
      .select(['version.id', 'version.tenantId', 'version.policyId', 'version.contentHash', 'version.capturedAt', 'version.capturedByRunId', 'version.sizeBytes'])
      .addSelect(cursorTime('version.captured_at'), 'cursor_time')
      .where({ tenantId, policyId });
    if (after) query.andWhere('(version.captured_at, version.id) < (:afterTime::timestamptz, :afterId::uuid)', { afterTime: after[0], afterId: after[1] });
    const rows = await withCursorTime(query.orderBy('version.captured_at', 'DESC').addOrderBy('version.id', 'DESC').limit(limit + 1));
    return page(rows, limit, (row) => toPolicyVersionSummary(row.entity), (row) => [row.cursorTime, row.entity.id]);
  }

  async getPolicyVersion({ tenantId, versionId }: GetPolicyVersionRequest): Promise<PolicyVersionView> {
    const version = (await this.database
      .createQueryBuilder(PolicyVersionEntity, 'version')
      .innerJoinAndMapOne('version.policy', PolicyEntity, 'policy', 'policy.id = version.policyId')
      .where({ id: versionId, tenantId })
      .getOne()) as PolicyVersionWithPolicy | null;
    if (!version) throw await this.missing('policy version', PolicyVersionEntity, versionId, tenantId);
    return toPolicyVersionView(version);
  }

  /** Newest first. */
  async listBackupSets({ tenantId, limit = DEFAULT_PAGE_SIZE, cursor }: ListBackupSetsRequest): Promise<Page<BackupSetView>> {
    const after = cursor ? decodeCursor(cursor, 2) : undefined;
    const query = this.backupSetsWithItemCount()
      .addSelect(cursorTime('backup_set.created_at'), 'cursor_time')
      .where({ tenantId });
    if (after) query.andWhere('(backup_set.created_at, backup_set.id) < (:afterTime::timestamptz, :afterId::uuid)', { afterTime: after[0], afterId: after[1] });
    const { entities, raw } = await query.orderBy('backup_set.created_at', 'DESC').addOrderBy('backup_set.id', 'DESC').limit(limit + 1).getRawAndEntities<{ cursor_time: string; item_count: number }>();
    const rows = entities.map((entity, index) => ({ entity, ...raw[index] }));
    return page(rows, limit, (row) => toBackupSetView(row.entity, row.item_count), (row) => [row.cursor_time, row.entity.id]);
  }

  async getBackupSet({ tenantId, backupSetId }: GetBackupSetRequest): Promise<BackupSetView> {
    const { entities, raw } = await this.backupSetsWithItemCount().where({ id: backupSetId, tenantId }).getRawAndEntities<{ item_count: number }>();
    if (entities.length === 0) throw await this.missing('backup set', BackupSetEntity, backupSetId, tenantId);
    return toBackupSetView(entities[0], raw[0].item_count);
  }

  /** The tenant's newest set (by creation) in one of `statuses`, or null. */
  async getLatestBackupSet({ tenantId, statuses }: GetLatestBackupSetRequest): Promise<BackupSetView | null> {
    if (statuses.length === 0) return null;
    const { entities, raw } = await this.backupSetsWithItemCount()
      .where({ tenantId })
      .andWhere('backup_set.status IN (:...statuses)', { statuses })
      .orderBy('backup_set.created_at', 'DESC')
      .addOrderBy('backup_set.id', 'DESC')
      .limit(1)
      .getRawAndEntities<{ item_count: number }>();
    return entities.length === 0 ? null : toBackupSetView(entities[0], raw[0].item_count);
  }

  /**
   * In the order they were added. With `includeSnapshots` (restore-worker) a page also stops once its
   * snapshots pass SNAPSHOT_PAGE_BUDGET_BYTES (at least one item per page), so a reply fits in NATS.
   */
  async listBackupItems(request: ListBackupItemsRequest): Promise<Page<BackupItemView>> {
    const { rows, pageSize } = await this.backupItemRows(request);
    return page(rows, pageSize, (row) => toBackupItemView(row.entity, row.odataType), (row) => [row.cursorTime, row.entity.id]);
  }

  /** Items with their whole snapshots and content hashes, paged like `listBackupItems` with snapshots; secret values as `secrets` says. */
  async exportBackupItems({ tenantId, backupSetId, secrets, limit, cursor }: ExportBackupItemsRequest): Promise<Page<ExportedBackupItem>> {
    const { rows, pageSize } = await this.backupItemRows({ tenantId, backupSetId, includeSnapshots: true, limit, cursor });
    return page(rows, pageSize, (row) => toExportedBackupItem(row.entity, row.odataType, secrets), (row) => [row.cursorTime, row.entity.id]);
  }

  private async backupItemRows({ tenantId, backupSetId, backupItemIds, includeSnapshots = false, limit = DEFAULT_PAGE_SIZE, cursor }: ListBackupItemsRequest) {
    if (!(await this.database.getRepository(BackupSetEntity).existsBy({ id: backupSetId, tenantId }))) throw await this.missing('backup set', BackupSetEntity, backupSetId, tenantId);
    const after = cursor ? decodeCursor(cursor, 2) : undefined;
    const query = this.database
      .createQueryBuilder(BackupItemEntity, 'item')
      .innerJoinAndMapOne('item.policy', PolicyEntity, 'policy', 'policy.id = item.policyId')
      .innerJoinAndMapOne('item.version', PolicyVersionEntity, 'version', 'version.id = item.policyVersionId')
      .select(['item', 'policy.id', 'policy.policyType', 'policy.graphId', 'policy.displayName', 'version.id', 'version.sizeBytes', 'version.contentHash'])
      .addSelect(cursorTime('item.added_at'), 'cursor_time')
      .addSelect(`version.snapshot ->> '@odata.type'`, 'odata_type')
      .where({ tenantId, backupSetId });
    if (includeSnapshots) query.addSelect('version.snapshot');
    if (backupItemIds) query.andWhere('item.id = ANY(:backupItemIds::uuid[])', { backupItemIds });
    if (after) query.andWhere('(item.added_at, item.id) > (:afterTime::timestamptz, :afterId::uuid)', { afterTime: after[0], afterId: after[1] });
    const { entities, raw } = await query.orderBy('item.added_at').addOrderBy('item.id').limit(limit + 1).getRawAndEntities<{ cursor_time: string; odata_type: string | null }>();
    const rows = (entities as BackupItemWithPolicy[]).map((entity, index) => ({ entity, cursorTime: raw[index].cursor_time, odataType: raw[index].odata_type }));
    let pageSize = Math.min(limit, rows.length);
    if (includeSnapshots) {
      let bytes = 0;
      for (let index = 0; index < pageSize; index += 1) {
        bytes += rows[index].entity.version.sizeBytes;
        if (bytes > SNAPSHOT_PAGE_BUDGET_BYTES && index > 0) {
          pageSize = index;
          break;
        }
      }
    }
    return { rows, pageSize };
  }

  /** The answer for an id the tenant's query missed: `other_tenant` when another tenant holds it, else `not_found`. */
  private async missing(what: string, entity: typeof PolicyEntity | typeof PolicyVersionEntity | typeof BackupSetEntity, id: string, tenantId: string): Promise<RpcException> {
    return RpcException.notFoundOrOtherTenant(what, await owningTenant(this.database.manager, entity, { id }), tenantId);
  }

  /** Sets with their item counts (as the raw column `item_count`). */
  private backupSetsWithItemCount(): SelectQueryBuilder<BackupSetEntity> {
    return this.database
      .createQueryBuilder(BackupSetEntity, 'backup_set')
      .addSelect((count) => count.select('count(*)::int').from(BackupItemEntity, 'item').where('item.backup_set_id = backup_set.id'), 'item_count');
  }
}

/** `rows` holds up to one row more than the page: its presence means there is a next page. */
function page<R, V>(rows: R[], size: number, view: (row: R) => V, key: (row: R) => string[]): Page<V> {
  const items = rows.slice(0, size);
  const last = items[items.length - 1];
  return { items: items.map(view), nextCursor: rows.length > size && last ? encodeCursor(key(last)) : null };
}
