import { Injectable } from '@nestjs/common';
import { AuditRpc, type AuditEventView, type ListAuditEventsRequest, type Page } from '@policyvault/contracts';
import { GatewayConfig } from '../gateway.config.js';
import { NatsRpcClient, type RpcService } from '../rpc/nats-rpc.client.js';

/** run-service's audit event API (AuditRpc, queue group "run-service"). */
@Injectable()
export class AuditEventsClient {
  private readonly service: RpcService;

  constructor(
    private readonly rpc: NatsRpcClient,
    config: GatewayConfig,
  ) {
    this.service = { name: 'run-service', timeoutMs: config.RUN_SERVICE_TIMEOUT_MS };
  }

  list(request: ListAuditEventsRequest): Promise<Page<AuditEventView>> {
    return this.rpc.request(this.service, { pattern: AuditRpc.list, payload: request });
  }
}
