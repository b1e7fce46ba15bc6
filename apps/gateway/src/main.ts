import 'reflect-metadata';
import { runService } from '@policyvault/platform';
import { AppModule } from './app.module.js';
import { configureHttp, GATEWAY_FASTIFY_OPTIONS } from './configure-http.js';
import { GatewayConfig } from './gateway.config.js';

await runService({
  name: 'gateway',
  config: GatewayConfig,
  module: (config) => AppModule.register(config),
  configureHttp,
  fastify: GATEWAY_FASTIFY_OPTIONS,
  // DirectoryRpc (directory-rpc/): other services ask the gateway for a tenant's owners.
  rpcQueueGroup: 'gateway',
});
