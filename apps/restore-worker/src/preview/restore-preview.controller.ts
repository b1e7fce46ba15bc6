import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { GetRestorePreviewRequest, RestoreRpc, type RestorePreviewPage } from '@policyvault/contracts';
import { RpcErrorReplyFilter, parseRpcPayload } from '@policyvault/platform';
import { PreviewQueriesService } from './preview-queries.service.js';

/** RestoreRpc on core NATS (queue group "restore-worker": replicas share it). */
@Controller()
@UseFilters(RpcErrorReplyFilter)
export class RestorePreviewController {
  constructor(private readonly queries: PreviewQueriesService) {}

  @MessagePattern(RestoreRpc.getPreview)
  getPreview(@Payload() payload: unknown): Promise<RestorePreviewPage> {
    return this.queries.getPreview(parseRpcPayload(GetRestorePreviewRequest, payload));
  }
}
