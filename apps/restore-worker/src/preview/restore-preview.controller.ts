import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { GetRestorePreviewRequest, RestoreRpc, type RestorePreviewPage } from '@policyvault/contracts';
import { validateMessage } from '@policyvault/platform';
import { PreviewQueriesService } from './preview-queries.service.js';
import { RestoreRpcError } from './restore-rpc.error.js';
import { RestoreRpcExceptionFilter } from './rpc-exception.filter.js';

/** RestoreRpc on core NATS (queue group "restore-worker": replicas share it). */
@Controller()
@UseFilters(RestoreRpcExceptionFilter)
export class RestorePreviewController {
  constructor(private readonly queries: PreviewQueriesService) {}

  @MessagePattern(RestoreRpc.getPreview)
  getPreview(@Payload() payload: unknown): Promise<RestorePreviewPage> {
    const request = validateMessage(GetRestorePreviewRequest, payload);
    if (!request.ok) throw RestoreRpcError.validation(request.problems);
    return this.queries.getPreview(request.value);
  }
}
