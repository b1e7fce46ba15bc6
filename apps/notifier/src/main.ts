import 'reflect-metadata';
import { runService } from '@policyvault/platform';
import { AppModule } from './app.module.js';
import { NotifierConfig } from './notifier.config.js';

await runService({
  name: 'notifier',
  config: NotifierConfig,
  module: (config) => AppModule.register(config),
  rpcQueueGroup: 'notifier',
});
