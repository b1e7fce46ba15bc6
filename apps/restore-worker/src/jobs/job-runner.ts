import { hostname } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { RestoreScope, RestoreTarget, SafeErrorCode, type BackupSetView, type RunCommand } from '@policyvault/contracts';
import { GraphClientFactory, ReadOnlyViolationError, type GraphClient } from '@policyvault/graph';
import { LOGGER, Outcome, validateMessage, type CommandContext, type HandlerOutcome } from '@policyvault/platform';
import { BackupStoreClient, BackupStoreNotFound, BackupStoreUnavailable } from '../backup-store/backup-store.client.js';
import { planningContext, type PlanningContext } from '../planning/restore-planner.js';
import { RestoreWorkerConfig } from '../restore-worker.config.js';
import { PostponeRun } from './postpone-run.js';
import { RunProgress } from './run-progress.js';

const BACKUP_STORE_RETRY_MS = 5000;

/** What a restore job works with. */
export interface RestoreJob {
  command: RunCommand;
  context: CommandContext;
  client: GraphClient;
  progress: RunProgress;
  planning: PlanningContext;
  set: BackupSetView;
  /** The tenant the backup set belongs to (the run's own tenant unless cross-tenant). */
  sourceTenantId: string;
  scope: RestoreScope;
  log: Logger;
}

/**
 * The frame around both restore handlers: target and scope validated, the tenant's Graph client
 * (read-only for previews: any write throws before it is sent), the backup set looked up in its
 * tenant, progress reporting, and the ways a job ends early turned into outcomes — postponed (retry),
 * its set missing (failed run), a write attempted by a preview (failed run, `graph_read_only_violation`).
 */
@Injectable()
export class JobRunner {
  readonly workerId: string;

  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(GraphClientFactory) private readonly graph: GraphClientFactory,
    private readonly store: BackupStoreClient,
    config: RestoreWorkerConfig,
  ) {
    this.workerId = config.WORKER_ID ?? `${hostname()}:${process.pid}`;
  }

  async run(command: RunCommand, context: CommandContext, { readOnly }: { readOnly: boolean }, work: (job: RestoreJob) => Promise<void>): Promise<HandlerOutcome> {
    const target = validateMessage(RestoreTarget, command.target);
    if (!target.ok) return Outcome.reject(`invalid target: ${target.problems.join('; ')}`);
    const scope = validateMessage(RestoreScope, command.scope);
    if (!scope.ok) return Outcome.reject(`invalid scope: ${scope.problems.join('; ')}`);
    const log = this.logger.child({ runId: command.runId, tenantId: command.tenantId, type: command.type, workerId: this.workerId });
    log.info({ deliveryCount: context.deliveryCount }, 'run command received');
    let client: GraphClient;
    try {
      client = this.graph.forTenant(command.tenantDirectoryId, { readOnly });
    } catch {
      return Outcome.reject('the tenant directory id is not a directory id');
    }
    const progress = new RunProgress(context.events, this.workerId);
    const sourceTenantId = target.value.sourceTenantId ?? command.tenantId;
    try {
      const set = await this.backupSet(sourceTenantId, target.value.backupSetId, progress);
      if (!set) return Outcome.done();
      const includeAssignments = scope.value.includeAssignments ?? false;
      const planning = planningContext(client, {
        includeAssignments,
        crossTenant: sourceTenantId !== command.tenantId,
        sourceFilterNames: includeAssignments ? await this.filterNames(sourceTenantId, set.id) : new Map(),
        deliveryCount: context.deliveryCount,
      });
      await work({ command, context, client, progress, planning, set, sourceTenantId, scope: scope.value, log });
      log.info({ items: progress.itemCount }, 'run command done');
      return Outcome.done();
    } catch (error) {
      if (error instanceof ReadOnlyViolationError) {
        log.error({ method: error.method }, 'a write was attempted through the read-only client and was not sent');
        await progress.fail(error.toSafeError());
        return Outcome.done();
      }
      if (error instanceof BackupStoreUnavailable) return this.postpone(log, new PostponeRun(BACKUP_STORE_RETRY_MS, 'the backup store did not answer'), progress);
      if (error instanceof PostponeRun) return this.postpone(log, error, progress);
      throw error;
    }
  }

  private postpone(log: Logger, error: PostponeRun, progress: RunProgress): HandlerOutcome {
    log.info({ delayMs: error.delayMs, reason: error.reason, items: progress.itemCount }, 'run command postponed');
    return Outcome.retry(error.delayMs, error.reason);
  }

  /** The set, or undefined after failing the run when it is not in the source tenant or still capturing. */
  private async backupSet(tenantId: string, backupSetId: string, progress: RunProgress): Promise<BackupSetView | undefined> {
    try {
      const set = await this.store.getBackupSet(tenantId, backupSetId);
      if (set.status !== 'capturing') return set;
      await progress.fail({ code: SafeErrorCode.InvalidCommand, message: 'The backup set is still being captured; restore it once its capture has ended.' });
      return undefined;
    } catch (error) {
      if (!(error instanceof BackupStoreNotFound)) throw error;
      await progress.fail({ code: SafeErrorCode.NotFound, message: 'The backup set is not in this tenant.' });
      return undefined;
    }
  }

  /** Names of the assignment filters the set captured (foundations), to map filters by name. */
  private async filterNames(tenantId: string, backupSetId: string): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for await (const page of this.store.items(tenantId, backupSetId, { includeSnapshots: false })) {
      for (const item of page) if (item.policyType === 'assignmentFilter') names.set(item.graphId, item.displayName);
    }
    return names;
  }
}
