import { Module } from '@nestjs/common';
import { DirectoryRpcController } from './directory-rpc.controller.js';
import { TenantOwnersQuery } from './tenant-owners.query.js';

/** DirectoryRpc: the gateway's directory for other services (served because main.ts sets rpcQueueGroup). */
@Module({
  controllers: [DirectoryRpcController],
  providers: [TenantOwnersQuery],
})
export class DirectoryRpcModule {}
