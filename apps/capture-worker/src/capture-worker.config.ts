import { DatabaseConfig } from '@policyvault/platform';

export class CaptureWorkerConfig extends DatabaseConfig {
  override PORT = 3002;
}
