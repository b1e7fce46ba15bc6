import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RemoveTenantRequest, RunRpc, type RemoveTenantReply } from '@policyvault/contracts';
import { RpcErrorReplyFilter, parseRpcPayload } from '@policyvault/platform';
import { TenantRemovalService } from './tenant-removal.service.js';

/** A tenant's lifecycle as run-service sees it (queue group "run-service"). */
@Controller()
@UseFilters(RpcErrorReplyFilter)
export class TenantRpcController {
  constructor(private readonly removal: TenantRemovalService) {}

  @MessagePattern(RunRpc.removeTenant)
  remove(@Payload() payload: unknown): Promise<RemoveTenantReply> {
    return this.removal.remove(parseRpcPayload(RemoveTenantRequest, payload));
  }
}
