import 'reflect-metadata';
import { runService } from '@policyvault/platform';
import { AppModule } from './app.module.js';
import { RestoreWorkerConfig } from './restore-worker.config.js';

await runService({
  name: 'restore-worker',
  config: RestoreWorkerConfig,
  module: (config) => AppModule.register(config),
  rpcQueueGroup: 'restore-worker',
});
