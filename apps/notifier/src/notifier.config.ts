import { Type } from 'class-transformer';
import { IsInt, IsUrl, Max, Min } from 'class-validator';
import { DatabaseConfig } from '@policyvault/platform';

export class NotifierConfig extends DatabaseConfig {
  override PORT = 3004;

  /** The admin UI's address: every notification links to `<UI_BASE_URL>/tenants/<tenant>/runs/<run>`. */
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'UI_BASE_URL must be an http(s) URL such as https://policyvault.example.com' },
  )
  UI_BASE_URL = 'http://localhost:3000';

  /** Run status events handled at once by this replica (a burst of transitions is written in batches this large; see bench/notifications). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(256)
  RUN_STATUS_CONCURRENCY = 64;

  /** How long a lookup of a tenant's owners at the gateway (DirectoryRpc) may take before the event is retried. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  DIRECTORY_TIMEOUT_MS = 5000;
}
