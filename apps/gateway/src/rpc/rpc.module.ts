import { Module } from '@nestjs/common';
import { NatsRpcClient } from './nats-rpc.client.js';

/** The shared request/reply client; every feature module that calls a service imports this one instance. */
@Module({
  providers: [NatsRpcClient],
  exports: [NatsRpcClient],
})
export class RpcModule {}
