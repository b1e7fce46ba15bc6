import { Injectable } from '@nestjs/common';
import {
  RunRpc,
  type ActiveRunsReply,
  type ActiveRunsRequest,
  type CancelRunRequest,
  type GetRunRequest,
  type LatestRunSummariesReply,
  type LatestRunSummariesRequest,
  type ListRunItemsRequest,
  type ListRunsRequest,
  type Page,
  type RemoveTenantReply,
  type RemoveTenantRequest,
  type RunItemView,
  type RunView,
  type StartRunReply,
  type StartRunRequest,
} from '@policyvault/contracts';
import { GatewayConfig } from '../gateway.config.js';
import { NatsRpcClient, type RpcService } from '../rpc/nats-rpc.client.js';

const RUN_NOT_FOUND = 'run not found in this tenant';

/** run-service's request/reply API (RunRpc, queue group "run-service"). */
@Injectable()
export class RunServiceClient {
  private readonly service: RpcService;

  constructor(
    private readonly rpc: NatsRpcClient,
    config: GatewayConfig,
  ) {
    this.service = { name: 'run-service', timeoutMs: config.RUN_SERVICE_TIMEOUT_MS };
  }

  start(request: StartRunRequest): Promise<StartRunReply> {
    return this.rpc.request(this.service, { pattern: RunRpc.start, payload: request });
  }

  get(request: GetRunRequest): Promise<RunView> {
    return this.rpc.request(this.service, { pattern: RunRpc.get, payload: request, notFound: RUN_NOT_FOUND });
  }

  list(request: ListRunsRequest): Promise<Page<RunView>> {
    return this.rpc.request(this.service, { pattern: RunRpc.list, payload: request });
  }

  /** The queued and running runs of many tenants, newest first (live views' snapshots). */
  activeRuns(request: ActiveRunsRequest): Promise<ActiveRunsReply> {
    return this.rpc.request(this.service, { pattern: RunRpc.activeRuns, payload: request });
  }

  cancel(request: CancelRunRequest): Promise<RunView> {
    return this.rpc.request(this.service, { pattern: RunRpc.cancel, payload: request, notFound: RUN_NOT_FOUND });
  }

  latestSummaries(request: LatestRunSummariesRequest): Promise<LatestRunSummariesReply> {
    return this.rpc.request(this.service, { pattern: RunRpc.latestSummaries, payload: request });
  }

  /** A removed tenant: schedules paused, active runs canceled, retention clock started (idempotent). */
  removeTenant(request: RemoveTenantRequest): Promise<RemoveTenantReply> {
    return this.rpc.request(this.service, { pattern: RunRpc.removeTenant, payload: request });
  }

  listItems(request: ListRunItemsRequest): Promise<Page<RunItemView>> {
    return this.rpc.request(this.service, { pattern: RunRpc.listItems, payload: request, notFound: RUN_NOT_FOUND });
  }
}
