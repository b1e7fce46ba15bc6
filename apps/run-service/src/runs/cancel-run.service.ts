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
import { enqueueRunStatusEvent } from '../status/run-status-outbox.js';
import { toRunView, type RunRow } from './run-view.mapper.js';
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
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    private readonly relay: OutboxRelay,
  ) {}

  async cancel(request: CancelRunRequest): Promise<RunView> {
    const refused = cancelRefusal(request.requesterRole);
    if (refused) throw new RpcException(RpcErrorCode.Forbidden, refused);
    const run = await this.database.transaction(async (manager) => {
      const rows: RunRow[] = await manager.query(
        `SELECT * FROM run_service.runs WHERE id = $1 AND tenant_id = $2 FOR UPDATE`,
        [request.runId, request.tenantId],
      );
      const current = rows[0];
      if (!current) throw RpcException.notFound('run');
      const refusedForRun = cancelRefusal(request.requesterRole, current.initiator_user_id === request.requestedBy.userId);
      if (refusedForRun) throw new RpcException(RpcErrorCode.Forbidden, refusedForRun);
      if (isTerminalRunStatus(current.status)) {
        throw new RpcException(RpcErrorCode.Conflict, `the run has already ended (${current.status})`);
      }
      if (current.status === RunStatus.Queued) {
        await manager.query(
          `UPDATE run_service.runs SET status = 'canceled', cancel_requested = true,
             finished_at = clock_timestamp(), summary = jsonb_build_object('canceledBy', $2::text)
           WHERE id = $1`,
          [request.runId, request.requestedBy.email],
        );
        await enqueueRunStatusEvent(manager, request.runId, this.names, RunStatusEventKind.Transition);
      } else if (!current.cancel_requested) {
        await manager.query(`UPDATE run_service.runs SET cancel_requested = true WHERE id = $1`, [request.runId]);
      }
      const [updated]: RunRow[] = await manager.query(`SELECT * FROM run_service.runs WHERE id = $1`, [request.runId]);
      return updated;
    });
    this.relay.kick();
    return toRunView(run);
  }
}
