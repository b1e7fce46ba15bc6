import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  RpcErrorCode,
  RunStatus,
  RunStatusEventKind,
  isTerminalRunStatus,
  type CancelRunRequest,
  type RunView,
} from '@policyvault/contracts';
import { JETSTREAM_NAMES, type JetStreamNames, RpcException } from '@policyvault/platform';
import { OutboxRelay } from '../outbox/outbox-relay.service.js';
import { enqueueRunStatusEvent } from '../outbox/run-status-event.builder.js';
import { toRunView } from './run-view.mapper.js';
import { RunEntity } from './run.entity.js';
import { RunRepository } from './run.repository.js';
import { cancelRefusal } from './cancel-run.policy.js';

/**
 * Cancel: a queued run is canceled at once (its command is skipped when a worker receives it); a
 * running run is marked cancel-requested and its worker stops between items, ending it `canceled`
 * with its counts so far. A terminal run cannot be canceled.
 */
@Injectable()
export class CancelRunService {
  constructor(
    @InjectDataSource() private readonly database: DataSource,
    private readonly runs: RunRepository,
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    private readonly relay: OutboxRelay,
  ) {}

  async cancel(request: CancelRunRequest): Promise<RunView> {
    const refused = cancelRefusal(request.requesterRole);
    if (refused) throw new RpcException(RpcErrorCode.Forbidden, refused);
    const run = await this.database.transaction(async (manager) => {
      const current = await this.runs.lock(manager, request.tenantId, request.runId);
      if (!current) throw RpcException.notFound('run');
      const refusedForRun = cancelRefusal(request.requesterRole, current.initiatorUserId === request.requestedBy.userId);
      if (refusedForRun) throw new RpcException(RpcErrorCode.Forbidden, refusedForRun);
      if (isTerminalRunStatus(current.status)) {
        throw new RpcException(RpcErrorCode.Conflict, `the run has already ended (${current.status})`);
      }
      if (current.status === RunStatus.Queued) {
        await manager.update(RunEntity, { id: current.id }, {
          status: RunStatus.Canceled,
          cancelRequested: true,
          finishedAt: () => 'clock_timestamp()',
          summary: { canceledBy: request.requestedBy.email },
        });
        const canceled = await this.runs.reload(manager, current);
        await enqueueRunStatusEvent(manager, canceled, this.names, RunStatusEventKind.Transition);
        return canceled;
      }
      if (!current.cancelRequested) await manager.update(RunEntity, { id: current.id }, { cancelRequested: true });
      return this.runs.reload(manager, current);
    });
    this.relay.kick();
    return toRunView(run);
  }
}
