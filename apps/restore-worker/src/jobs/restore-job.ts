import { Injectable } from '@nestjs/common';
import { SafeErrorCode, type BackupSetView, type CapturedReferences, type RestoreScope, type RestoreTarget } from '@policyvault/contracts';
import { restorePhaseOf } from '@policyvault/graph';
import { PostponeRun, type Job } from '@policyvault/worker-runtime';
import { BackupStoreClient, BackupStoreNotFound, BackupStoreUnavailable } from '../backup-store/backup-store.client.js';
import type { RunItem } from '../planning/live-tenant.js';
import { planningContext, toRunItem, type PlanningContext, type PlanningOptions } from '../planning/restore-planner.js';

const BACKUP_STORE_RETRY_MS = 5000;

/** A restore run inside the job runner: its job plus the backup set it restores and its planning. */
export interface RestoreJob extends Job<RestoreTarget, RestoreScope> {
  set: BackupSetView;
  /** The tenant the backup set belongs to (the run's own tenant unless cross-tenant). */
  sourceTenantId: string;
  planning: PlanningContext;
  /**
   * The passes the run makes over the set, in order (`restorePhaseOf` of its items' types): named locations
   * and policy set members are written in a pass before the Conditional Access policies and sets naming them.
   */
  phases: number[];
}

/** Whether a backup item is written in this pass of the run. */
export const inPhase = (phase: number) => (item: { policyType: string }) => restorePhaseOf(item.policyType) === phase;

/**
 * What both restore handlers do first, inside the shared job runner: the backup set looked up in its
 * tenant (the run fails when it is missing or still capturing), the planning context, the set's id in
 * a canceled run's summary, and a backup store that does not answer turned into a postponed run.
 */
@Injectable()
export class RestoreJobs {
  constructor(private readonly store: BackupStoreClient) {}

  async within(job: Job<RestoreTarget, RestoreScope>, work: (restore: RestoreJob) => Promise<void>): Promise<void> {
    const sourceTenantId = job.target.sourceTenantId ?? job.command.tenantId;
    try {
      const set = await this.backupSet(job, sourceTenantId);
      if (!set) return;
      job.onCanceled(() => ({ backupSetId: set.id }));
      const index = await this.setIndex(sourceTenantId, set.id, job.scope.backupItemIds);
      const planning = planningContext(job.client, {
        includeAssignments: job.scope.includeAssignments ?? false,
        keepConditionalAccessState: job.scope.keepConditionalAccessState ?? false,
        crossTenant: sourceTenantId !== job.command.tenantId,
        ...index,
        retryDelayMs: job.retryDelayMs,
        includeTenantSettings: job.scope.includeTenantSettings ?? false,
      });
      const phases = [...new Set([0, ...index.runItems.map((item) => restorePhaseOf(item.policyType))])].sort((left, right) => left - right);
      await work({ ...job, set, sourceTenantId, planning, phases });
    } catch (error) {
      if (error instanceof BackupStoreUnavailable) throw new PostponeRun(BACKUP_STORE_RETRY_MS, 'the backup store did not answer');
      throw error;
    }
  }

  /** The set, or undefined after failing the run when it is not in the source tenant or still capturing. */
  private async backupSet(job: Job<RestoreTarget, RestoreScope>, tenantId: string): Promise<BackupSetView | undefined> {
    const backupSetId = job.target.backupSetId;
    try {
      const set = await this.store.getBackupSet(tenantId, backupSetId);
      if (set.status !== 'capturing') return set;
      await job.progress.fail({ code: SafeErrorCode.InvalidCommand, message: 'The backup set is still being captured; restore it once its capture has ended.' });
      return undefined;
    } catch (error) {
      if (!(error instanceof BackupStoreNotFound)) throw error;
      await job.progress.fail({ code: SafeErrorCode.NotFound, message: 'The backup set is not in this tenant.' });
      return undefined;
    }
  }

  /**
   * One pass over the set without snapshots: the items this run restores (so no two of them are
   * matched to one live object) and the names of its foundations (filters, scope tags) by id.
   */
  private async setIndex(tenantId: string, backupSetId: string, selected: string[] | undefined): Promise<Pick<PlanningOptions, 'runItems' | 'foundationNames'>> {
    const restored = selected ? new Set(selected) : undefined;
    const runItems: RunItem[] = [];
    const foundationNames: Required<Pick<CapturedReferences, 'filter' | 'scopeTag'>> = { filter: {}, scopeTag: {} };
    for await (const page of this.store.items(tenantId, backupSetId, { includeSnapshots: false })) {
      for (const item of page) {
        if (!restored || restored.has(item.id)) runItems.push(toRunItem(item));
        if (item.policyType === 'assignmentFilter') foundationNames.filter[item.graphId] = item.displayName;
        if (item.policyType === 'scopeTag') foundationNames.scopeTag[item.graphId] = item.displayName;
      }
    }
    return { runItems, foundationNames };
  }
}
