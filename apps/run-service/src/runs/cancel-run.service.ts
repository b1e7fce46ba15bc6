import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  RpcErrorCode,
  RunStatus,
  RunStatusEventKind,
  TENANT_REMOVED_CANCEL_REASON,
  isTerminalRunStatus,
  type CancelRunRequest,
  type RunInitiatorMessage,
  type RunView,
} from '@policyvault/contracts';
import { JETSTREAM_NAMES, type JetStreamNames, RpcException } from '@policyvault/platform';
import { AuditService } from '../audit/audit.service.js';
import { OutboxRelay } from '../outbox/outbox-relay.service.js';
import { enqueueRunStatusEvent } from '../outbox/run-status-event.builder.js';
import { toRunView } from './run-view.mapper.js';
import { RunEntity } from './run.entity.js';
import { RunRepository } from './run.repository.js';
import { cancelRefusal } from './cancel-run.policy.js';

/** What canceling a tenant's active runs did. */
export interface TenantRunsCanceled {
  /** Queued runs ended `canceled` at once. */
  canceled: number;
  /** Running runs marked cancel-requested (their workers end them at the next checkpoint). */
  cancelRequested: number;
}

/**
 * Cancel: a queued run is canceled at once (its command is skipped when a worker receives it); a
 * running run is marked cancel-requested and its worker stops between items, ending it `canceled`
 * with its counts so far. A terminal run cannot be canceled. One path for an operator's cancel of a
 * run and for a removed tenant's active runs (`cancelTenantRuns`, with the reason `tenant_removed`).
 */
@Injectable()
export class CancelRunService {
  constructor(
    @InjectDataSource() private readonly database: DataSource,
    private readonly runs: RunRepository,
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    private readonly relay: OutboxRelay,
    private readonly audit: AuditService,
  ) {}

  async cancel(request: CancelRunRequest): Promise<RunView> {
    const refused = cancelRefusal(request.requesterRole);
    if (refused) throw new RpcException(RpcErrorCode.Forbidden, refused);
    const run = await this.database.transaction(async (manager) => {
      const current = await this.runs.lock(manager, request.tenantId, request.runId);
      if (!current) throw RpcException.notFoundOrOtherTenant('run', await this.runs.tenantOf(request.runId, manager), request.tenantId);
      const refusedForRun = cancelRefusal(request.requesterRole, current.initiatorUserId === request.requestedBy.userId);
      if (refusedForRun) throw new RpcException(RpcErrorCode.Forbidden, refusedForRun);
      if (isTerminalRunStatus(current.status)) {
        throw new RpcException(RpcErrorCode.Conflict, `the run has already ended (${current.status})`);
      }
      return this.cancelLocked(manager, current, { canceledBy: request.requestedBy.email });
    });
    this.relay.kick();
    return toRunView(run);
  }

  /**
   * Every queued or running run of a removed tenant, in the caller's transaction (the caller kicks the
   * relay after its commit). Each gets an audit event `run.canceled` with the reason, since nobody
   * asked for that run in particular; a run asked to stop already is left as it is (no second event).
   */
  async cancelTenantRuns(manager: EntityManager, tenantId: string, requestedBy: RunInitiatorMessage): Promise<TenantRunsCanceled> {
    const counts: TenantRunsCanceled = { canceled: 0, cancelRequested: 0 };
    for (const run of await this.runs.lockActive(manager, tenantId)) {
      if (run.cancelRequested) continue; // asked to stop already (a repeated removal): its worker is on it
      const after = await this.cancelLocked(manager, run, { canceledBy: requestedBy.email, reason: TENANT_REMOVED_CANCEL_REASON });
      counts[after.status === RunStatus.Canceled ? 'canceled' : 'cancelRequested'] += 1;
      await this.audit.record(manager, {
        tenantId,
        actor: requestedBy.email,
        actorUserId: requestedBy.userId,
        action: 'run.canceled',
        runId: run.id,
        details: { type: run.type, status: after.status, cancelRequested: after.cancelRequested, reason: TENANT_REMOVED_CANCEL_REASON },
      });
    }
    return counts;
  }

  /** Cancels one run locked by the caller and still active; answers it as it is afterwards. */
  private async cancelLocked(manager: EntityManager, current: RunEntity, summary: { canceledBy: string; reason?: string }): Promise<RunEntity> {
    if (current.status === RunStatus.Queued) {
      await manager.update(RunEntity, { id: current.id }, {
        status: RunStatus.Canceled,
        cancelRequested: true,
        finishedAt: () => 'clock_timestamp()',
        summary,
      });
      const canceled = await this.runs.reload(manager, current);
      await enqueueRunStatusEvent(manager, canceled, this.names, RunStatusEventKind.Transition);
      return canceled;
    }
    if (!current.cancelRequested) await manager.update(RunEntity, { id: current.id }, { cancelRequested: true });
    return this.runs.reload(manager, current);
  }
}
