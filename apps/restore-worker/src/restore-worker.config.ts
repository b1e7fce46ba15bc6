import { DatabaseConfig } from '@policyvault/platform';

export class RestoreWorkerConfig extends DatabaseConfig {
  override PORT = 3003;
}
