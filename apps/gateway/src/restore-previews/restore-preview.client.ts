import { Injectable } from '@nestjs/common';
import { RestoreRpc, type GetRestorePreviewRequest, type RestorePreviewPage } from '@policyvault/contracts';
import { GatewayConfig } from '../gateway.config.js';
import { NatsRpcClient, type RpcService } from '../rpc/nats-rpc.client.js';

const PREVIEW_NOT_FOUND = 'restore preview not found in this tenant';

/** The restore-worker's request/reply API (RestoreRpc, queue group "restore-worker"). */
@Injectable()
export class RestorePreviewClient {
  private readonly service: RpcService;

  constructor(
    private readonly rpc: NatsRpcClient,
    config: GatewayConfig,
  ) {
    this.service = { name: 'restore-worker', timeoutMs: config.RESTORE_WORKER_TIMEOUT_MS };
  }

  getPreview(request: GetRestorePreviewRequest): Promise<RestorePreviewPage> {
    return this.rpc.request(this.service, { pattern: RestoreRpc.getPreview, payload: request, notFound: PREVIEW_NOT_FOUND });
  }
}
