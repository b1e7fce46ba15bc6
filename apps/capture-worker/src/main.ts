import 'reflect-metadata';
import { runService } from '@policyvault/platform';
import { AppModule } from './app.module.js';
import { CaptureWorkerConfig } from './capture-worker.config.js';

await runService({
  name: 'capture-worker',
  config: CaptureWorkerConfig,
  module: (config) => AppModule.register(config),
  rpcQueueGroup: 'capture-worker',
});
