import { Injectable } from '@nestjs/common';
import { RunItemStatus, RunType, type BackupItemView, type RestoreScope, type RestoreTarget, type RunCommand } from '@policyvault/contracts';
import { GraphError } from '@policyvault/graph';
import { CommandHandler, type CommandContext, type HandlerOutcome, type ItemReport, type RunCommandHandler } from '@policyvault/platform';
import { JobRunner, PostponeRun, forEachLimited, itemFailure } from '@policyvault/worker-runtime';
import { BackupStoreClient } from '../backup-store/backup-store.client.js';
import { backupItemKey, notInSetReport, unsupportedError } from '../jobs/report-item.js';
import { RestoreJobs, inPhase, type RestoreJob } from '../jobs/restore-job.js';
import { UNSUPPORTED_REASON, unmappedSummary } from '../planning/restore-plan.js';
import { RestorePlanner, toCandidate, type PlannedRestore } from '../planning/restore-planner.js';
import { upgradeSnapshots } from '../planning/snapshot-upgrade.js';
import { RestoreWorkerConfig } from '../restore-worker.config.js';
import { ExecutedItemsRepository, type LedgerEntry } from './executed-items.repository.js';
import { ItemWriteFailure, RestoreItemWriter, type WrittenFacts } from './restore-item.writer.js';

/** Items planned together right before their writes: the plan is at most a few seconds old when used. */
const PLAN_CHUNK = 20;
/** Deliveries during which a write that Graph kept throttling or failing (5xx) postpones the run. */
const POSTPONE_TRANSIENT_WRITES_UNTIL_DELIVERY = 5;

/**
 * US3: the live restore. Each item is planned against the tenant as it is now (the preview's logic),
 * then created or updated; its outcome is recorded in the ledger (keyed by backup item id) before it
 * is reported and before the command is acknowledged, so a redelivery never writes an item twice.
 * Cancel and shutdown stop between items; an item is never left half-written by either.
 */
@Injectable()
@CommandHandler(RunType.RestoreExecute)
export class RestoreExecuteHandler implements RunCommandHandler {
  constructor(
    private readonly jobs: JobRunner,
    private readonly restores: RestoreJobs,
    private readonly store: BackupStoreClient,
    private readonly planner: RestorePlanner,
    private readonly writer: RestoreItemWriter,
    private readonly ledger: ExecutedItemsRepository,
    private readonly config: RestoreWorkerConfig,
  ) {}

  handle(command: RunCommand, context: CommandContext): Promise<HandlerOutcome> {
    return this.jobs.run<RestoreTarget, RestoreScope>(command, context, (job) => this.restores.within(job, (restore) => this.execute(restore)));
  }

  private async execute(job: RestoreJob): Promise<void> {
    const { command, progress, set, scope } = job;
    const selected = scope.backupItemIds;
    await progress.started(selected ? new Set(selected).size : set.itemCount);
    const earlier = await this.ledger.entries(command.tenantId, command.runId);
    const seen = new Set<string>();
    // One pass per phase: what later items reference (named locations, policy set members) is written first.
    for (const phase of job.phases) {
      for await (const page of this.store.items(job.sourceTenantId, set.id, { backupItemIds: selected, includeSnapshots: true })) {
        const pending: BackupItemView[] = [];
        const finished: LedgerEntry[] = [];
        for (const item of page.filter(inPhase(phase))) {
          seen.add(item.id);
          const entry = earlier.get(item.id);
          if (entry && entry.status !== 'writing') {
            finished.push(entry);
            job.planning.restored.recordResult(entry.result);
          } else pending.push(item);
        }
        // Finished by an earlier delivery: reported again from the ledger, Graph is not asked.
        await Promise.all(finished.map((entry) => progress.item(ledgerReport(entry))));
        // A cancel or a shutdown stops between items (the checkpoint throws); no item is left half-written.
        for (let index = 0; index < pending.length; index += PLAN_CHUNK) {
          await job.checkpoint();
          const candidates = await upgradeSnapshots(job.client, pending.slice(index, index + PLAN_CHUNK).map(toCandidate));
          const plans = await this.planner.plan(job.planning, candidates);
          await forEachLimited(plans, this.config.RESTORE_ITEMS_IN_FLIGHT, (plan) => this.restoreItem(job, plan, earlier.get(plan.candidate.backupItemId)), job.checkpoint);
        }
      }
    }
    for (const backupItemId of new Set(selected ?? [])) if (!seen.has(backupItemId)) await progress.item(notInSetReport(backupItemId));
    await progress.finish({
      backupSetId: set.id,
      sourceTenantId: job.sourceTenantId,
      created: progress.countOutcome('created'),
      updated: progress.countOutcome('updated'),
      noChange: progress.countOutcome('no_change'),
      ambiguous: progress.countOutcome('ambiguous'),
    });
  }

  private async restoreItem(job: RestoreJob, plan: PlannedRestore, earlier: LedgerEntry | undefined): Promise<void> {
    const { command } = job;
    const { candidate } = plan;
    const base = { backupItemId: candidate.backupItemId, action: plan.action, label: candidate.displayName };
    const facts = {
      policyType: candidate.policyType,
      matchedBy: plan.matchedBy,
      previousId: candidate.graphId,
      liveId: plan.liveId,
      ...(job.sourceTenantId !== command.tenantId ? { sourceTenantId: job.sourceTenantId } : {}),
      ...(plan.unmapped.length > 0 ? { unmapped: plan.unmapped } : {}),
    };
    let entry: LedgerEntry;
    if (plan.error) {
      entry = { ...base, status: 'failed', outcome: 'failed', result: facts, error: plan.error };
    } else if (plan.action === 'ambiguous') {
      // No single live object to restore onto: nothing is written.
      entry = { ...base, status: 'skipped', outcome: 'ambiguous', result: { ...facts, action: plan.action, ambiguity: plan.ambiguity }, error: null };
    } else if (plan.action === 'skipped') {
      entry =
        plan.reason === UNSUPPORTED_REASON
          ? { ...base, status: 'skipped', outcome: 'skipped', result: facts, error: unsupportedError(candidate.policyType) }
          : { ...base, status: 'skipped', outcome: 'skipped', result: { ...facts, action: 'skipped', reason: plan.reason }, error: null };
    } else if (plan.action === 'no_change') {
      // A write of an earlier delivery landed but was not recorded (the worker died in between): the
      // tenant now matches the snapshot; the item is done by that write, and says so.
      const recovered = earlier?.status === 'writing' && (earlier.action === 'create' || earlier.action === 'update');
      entry = recovered
        ? {
            ...base,
            action: earlier.action,
            status: 'succeeded',
            outcome: earlier.action === 'create' ? 'created' : 'updated',
            result: { ...facts, action: earlier.action, ...(earlier.action === 'create' ? { newId: plan.liveId } : {}), recoveredAfterRedelivery: true, ...assignmentFacts(plan) },
            error: null,
          }
        : { ...base, status: 'succeeded', outcome: 'no_change', result: { ...facts, action: 'no_change', ...assignmentFacts(plan) }, error: null };
    } else {
      await this.ledger.markWriting(command.tenantId, command.runId, candidate.backupItemId, plan.action, candidate.displayName, { ...facts, action: plan.action });
      entry = await this.write(job, plan, base, facts);
    }
    // A later pass maps its references to this object through the id it has now (created or matched).
    job.planning.restored.recordResult(entry.result);
    const stored = await this.ledger.finish(command.tenantId, command.runId, entry);
    await job.progress.item(ledgerReport(stored));
  }

  private async write(job: RestoreJob, plan: PlannedRestore, base: Pick<LedgerEntry, 'backupItemId' | 'action' | 'label'>, facts: Record<string, unknown>): Promise<LedgerEntry> {
    try {
      const written = await this.writer.write(job.client, plan);
      return {
        ...base,
        status: 'succeeded',
        outcome: plan.action === 'create' ? 'created' : 'updated',
        result: { ...facts, action: plan.action, ...writtenFacts(written, plan) },
        error: null,
      };
    } catch (caught) {
      if (!(caught instanceof ItemWriteFailure)) throw caught;
      this.postponeIfTransient(job, caught.error);
      return {
        ...base,
        status: 'failed',
        outcome: 'failed',
        result: { ...facts, action: plan.action, ...writtenFacts(caught.written, plan) },
        error: itemFailure(caught.error, plan.candidate.policyType),
      };
    }
  }

  /** Throttled or 5xx after the client's own retries: try the run again later (the plan is recomputed). */
  private postponeIfTransient(job: RestoreJob, error: GraphError): void {
    if (!error.transient || job.deliveryCount >= POSTPONE_TRANSIENT_WRITES_UNTIL_DELIVERY) return;
    throw new PostponeRun(error.retryAfterSeconds ? error.retryAfterSeconds * 1000 : job.retryDelayMs, `graph write failed (${error.code})`);
  }
}

function writtenFacts(written: WrittenFacts, plan: PlannedRestore): Record<string, unknown> {
  return {
    ...(written.newId ? { newId: written.newId, liveId: written.newId } : {}),
    writes: written.writes,
    requests: written.sent,
    ...assignmentFacts(plan, written.assignmentsRestored ?? 0),
  };
}

function assignmentFacts(plan: PlannedRestore, restored = 0): Record<string, unknown> {
  if (!plan.assignments) return {};
  return {
    assignments: {
      restored,
      unchanged: !plan.assignments.changed,
      blocked: plan.assignments.blocked,
      // Inherited from policy sets: left to the set, never restored.
      inheritedSkipped: plan.assignments.inherited,
      unmapped: unmappedSummary(plan.assignments.unmapped),
    },
  };
}

function ledgerReport(entry: LedgerEntry): ItemReport {
  const status = entry.status === 'failed' ? RunItemStatus.Failed : entry.status === 'skipped' ? RunItemStatus.Skipped : RunItemStatus.Succeeded;
  return {
    itemKey: backupItemKey(entry.backupItemId),
    status,
    label: entry.label ?? undefined,
    outcome: entry.outcome ?? undefined,
    ...(entry.error ? { error: entry.error } : {}),
    ...(entry.result ? { result: entry.result } : {}),
  };
}
