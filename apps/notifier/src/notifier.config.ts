import { DatabaseConfig } from '@policyvault/platform';

export class NotifierConfig extends DatabaseConfig {
  override PORT = 3004;
}
