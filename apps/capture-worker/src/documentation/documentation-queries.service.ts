import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DEFAULT_PAGE_SIZE, type DocumentBackupItemsRequest, type DocumentationPage, type DocumentedBackupItem, type SettingDefinitionView } from '@policyvault/contracts';
import { getPolicyTypeContract } from '@policyvault/graph';
import { RpcException, decodeCursor, encodeCursor, maskSecretEnvelopes, owningTenant } from '@policyvault/platform';
import { BackupItemEntity } from '../store/backup-item.entity.js';
import { BackupSetEntity } from '../store/backup-set.entity.js';
import { PolicyVersionEntity } from '../store/policy-version.entity.js';
import { PolicyEntity } from '../store/policy.entity.js';
import { SettingDefinitionEntity } from './setting-definition.entity.js';
import { settingDefinitionIds } from './setting-definition-capture.js';

/**
 * A page's snapshots stay under this, so the reply (snapshots plus the definitions they use) fits in
 * NATS's default 1 MiB message; at least one item per page.
 */
const DOCUMENTATION_PAGE_BUDGET_BYTES = 256 * 1024;

interface DocumentationRow {
  id: string;
  policy_type: string;
  graph_id: string;
  display_name: string;
  is_foundation: boolean;
  content_hash: string;
  captured_at: string;
  size_bytes: number;
  odata_type: string | null;
  reference_names: DocumentedBackupItem['references'] | null;
  snapshot?: Record<string, unknown>;
}

/** The documentation's pages of a set: by policy type, display name and item id (keyset), secrets masked. */
@Injectable()
export class DocumentationQueriesService {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  async documentBackupItems({ tenantId, backupSetId, outline = false, limit = DEFAULT_PAGE_SIZE, cursor }: DocumentBackupItemsRequest): Promise<DocumentationPage> {
    if (!(await this.database.getRepository(BackupSetEntity).existsBy({ id: backupSetId, tenantId }))) {
      throw RpcException.notFoundOrOtherTenant('backup set', await owningTenant(this.database.manager, BackupSetEntity, { id: backupSetId }), tenantId);
    }
    const after = cursor ? decodeCursor(cursor, 3) : undefined;
    const query = this.database
      .createQueryBuilder(BackupItemEntity, 'item')
      .innerJoin(PolicyEntity, 'policy', 'policy.id = item.policy_id')
      .innerJoin(PolicyVersionEntity, 'version', 'version.id = item.policy_version_id')
      .select('item.id', 'id')
      .addSelect('policy.policy_type', 'policy_type')
      .addSelect('policy.graph_id', 'graph_id')
      .addSelect('policy.display_name', 'display_name')
      .addSelect('item.is_foundation', 'is_foundation')
      .addSelect('item.reference_names', 'reference_names')
      .addSelect('version.content_hash', 'content_hash')
      .addSelect(`to_json(version.captured_at) #>> '{}'`, 'captured_at')
      .addSelect('version.size_bytes', 'size_bytes')
      .addSelect(`version.snapshot ->> '@odata.type'`, 'odata_type')
      .where('item.tenant_id = :tenantId AND item.backup_set_id = :backupSetId', { tenantId, backupSetId });
    if (!outline) query.addSelect('version.snapshot', 'snapshot');
    if (after) {
      query.andWhere('(policy.policy_type, policy.display_name, item.id) > (:afterType::text, :afterName::text, :afterId::uuid)', {
        afterType: after[0],
        afterName: after[1],
        afterId: after[2],
      });
    }
    const rows = await query.orderBy('policy.policy_type').addOrderBy('policy.display_name').addOrderBy('item.id').limit(limit + 1).getRawMany<DocumentationRow>();
    let size = Math.min(limit, rows.length);
    if (!outline) {
      let bytes = 0;
      for (let index = 0; index < size; index += 1) {
        bytes += Number(rows[index].size_bytes);
        if (bytes > DOCUMENTATION_PAGE_BUDGET_BYTES && index > 0) {
          size = index;
          break;
        }
      }
    }
    const items = rows.slice(0, size).map(toDocumentedItem);
    const last = rows[size - 1];
    return {
      items,
      nextCursor: rows.length > size && last ? encodeCursor([last.policy_type, last.display_name, last.id]) : null,
      settingDefinitions: outline ? {} : await this.definitionsFor(tenantId, items),
    };
  }

  private async definitionsFor(tenantId: string, items: DocumentedBackupItem[]): Promise<Record<string, SettingDefinitionView>> {
    const ids = new Set<string>();
    for (const item of items) settingDefinitionIds(item.snapshot, ids);
    if (ids.size === 0) return {};
    const stored = await this.database
      .getRepository(SettingDefinitionEntity)
      .createQueryBuilder('definition')
      .where({ tenantId })
      .andWhere('definition.definition_id = ANY(:ids::text[])', { ids: [...ids] })
      .getMany();
    return Object.fromEntries(stored.map((row) => [row.definitionId, { ...row.definition, id: row.definitionId }]));
  }
}

function toDocumentedItem(row: DocumentationRow): DocumentedBackupItem {
  const contract = getPolicyTypeContract(row.policy_type);
  return {
    id: row.id,
    policyType: row.policy_type,
    policyTypeLabel: contract.supported ? contract.contract.displayName : row.policy_type,
    graphId: row.graph_id,
    displayName: row.display_name,
    isFoundation: row.is_foundation,
    odataType: row.odata_type,
    contentHash: row.content_hash,
    capturedAt: new Date(row.captured_at).toISOString(),
    references: row.reference_names ?? {},
    ...(row.snapshot !== undefined ? { snapshot: maskSecretEnvelopes(row.snapshot) } : {}),
  };
}
