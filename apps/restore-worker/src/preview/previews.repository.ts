import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryDeepPartialEntity, Repository } from 'typeorm';
import { sanitizeSafeError } from '@policyvault/contracts';
import { previewRequest } from '../planning/restore-plan.js';
import type { PlannedRestore } from '../planning/restore-planner.js';
import { maskedRequest } from '../planning/secret-values.js';
import { PreviewItemEntity } from './preview-item.entity.js';
import { PreviewEntity } from './preview.entity.js';

/** One computed item of a preview, as the preview handler reports it. */
export type StoredPreviewItem = Omit<PreviewItemEntity, 'runId' | 'tenantId'>;

export function previewItemOf(plan: PlannedRestore, position: number): StoredPreviewItem {
  return {
    backupItemId: plan.candidate.backupItemId,
    position,
    policyType: plan.candidate.policyType,
    displayName: plan.candidate.displayName,
    action: plan.action,
    matchedBy: plan.matchedBy,
    liveId: plan.liveId,
    request: maskedRequest(previewRequest(plan)),
    requests: plan.requests.map((request) => (request.body ? maskedRequest({ ...request, body: request.body })! : request)),
    differences: plan.differences,
    reason: plan.reason,
    error: plan.error ? sanitizeSafeError(plan.error) : null,
    ambiguity: plan.ambiguity,
    unmapped: plan.unmapped,
  };
}

/** The previews this worker computed (restore.previews, restore.preview_items); tenant first everywhere. */
@Injectable()
export class PreviewsRepository {
  private readonly previews: Repository<PreviewEntity>;
  private readonly items: Repository<PreviewItemEntity>;

  constructor(@InjectDataSource() database: DataSource) {
    this.previews = database.getRepository(PreviewEntity);
    this.items = database.getRepository(PreviewItemEntity);
  }

  /** The run's preview: made on the first delivery, kept as is on a redelivery. */
  async start(tenantId: string, runId: string, backupSetId: string, sourceTenantId: string, includeAssignments: boolean): Promise<void> {
    await this.previews
      .createQueryBuilder()
      .insert()
      .values({ runId, tenantId, backupSetId, sourceTenantId, includeAssignments, startedAt: () => 'now()' })
      .orIgnore()
      .updateEntity(false)
      .execute();
  }

  /** Items a previous delivery already computed (reported again, never recomputed). */
  async storedItems(tenantId: string, runId: string): Promise<Map<string, StoredPreviewItem>> {
    const rows = await this.items.findBy({ tenantId, runId });
    return new Map(rows.map((row) => [row.backupItemId, row]));
  }

  /** One statement per page of items; an item stored by an earlier delivery is left as it was. */
  async saveItems(tenantId: string, runId: string, items: StoredPreviewItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.items
      .createQueryBuilder()
      .insert()
      // JSON columns are typed Record<string, unknown>, which TypeORM's deep-partial type cannot express.
      .values(items.map((item) => ({ ...item, runId, tenantId })) as QueryDeepPartialEntity<PreviewItemEntity>[])
      .orIgnore()
      .updateEntity(false)
      .execute();
  }

  async complete(tenantId: string, runId: string): Promise<void> {
    await this.previews.update({ tenantId, runId }, { computedAt: () => 'now()' });
  }
}
