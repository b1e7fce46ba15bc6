import { Injectable } from '@nestjs/common';
import { RunRpc, type FleetStatusReply, type FleetStatusRequest, type RunStatusesReply, type RunStatusesRequest } from '@policyvault/contracts';
import { GatewayConfig } from '../gateway.config.js';
import { NatsRpcClient, type RpcService } from '../rpc/nats-rpc.client.js';

/** run-service's fleet API: one request for many tenants (or many runs). */
@Injectable()
export class FleetRunServiceClient {
  private readonly service: RpcService;

  constructor(
    private readonly rpc: NatsRpcClient,
    config: GatewayConfig,
  ) {
    this.service = { name: 'run-service', timeoutMs: config.RUN_SERVICE_TIMEOUT_MS };
  }

  status(request: FleetStatusRequest): Promise<FleetStatusReply> {
    return this.rpc.request(this.service, { pattern: RunRpc.fleetStatus, payload: request });
  }

  statuses(request: RunStatusesRequest): Promise<RunStatusesReply> {
    return this.rpc.request(this.service, { pattern: RunRpc.statuses, payload: request });
  }
}
