import 'reflect-metadata';
import { runService } from '@policyvault/platform';
import { AppModule } from './app.module.js';
import { RunServiceConfig } from './run-service.config.js';

await runService({
  name: 'run-service',
  config: RunServiceConfig,
  module: (config) => AppModule.register(config),
  rpcQueueGroup: 'run-service',
});
