import 'reflect-metadata';
import { runService } from '@policyvault/platform';
import { AppModule } from './app.module.js';
import { configureHttp } from './configure-http.js';
import { GatewayConfig } from './gateway.config.js';

await runService({
  name: 'gateway',
  config: GatewayConfig,
  module: (config) => AppModule.register(config),
  configureHttp,
  // DirectoryRpc (directory-rpc/): other services ask the gateway for a tenant's owners.
  rpcQueueGroup: 'gateway',
});
