import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DirectoryRpc, ListTenantOwnersRequest, type TenantOwnersReply } from '@policyvault/contracts';
import { RpcErrorReplyFilter, parseRpcPayload } from '@policyvault/platform';
import { TenantOwnersQuery } from './tenant-owners.query.js';

/**
 * The gateway owns users and memberships; services that address people by tenant role ask it here
 * (core NATS, queue group "gateway": replicas share it). Today: the notifier, for a drift report's owners.
 */
@Controller()
@UseFilters(RpcErrorReplyFilter)
export class DirectoryRpcController {
  constructor(private readonly owners: TenantOwnersQuery) {}

  @MessagePattern(DirectoryRpc.tenantOwners)
  tenantOwners(@Payload() payload: unknown): Promise<TenantOwnersReply> {
    return this.owners.owners(parseRpcPayload(ListTenantOwnersRequest, payload).tenantId);
  }
}
