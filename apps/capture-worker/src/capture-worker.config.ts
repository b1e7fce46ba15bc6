import { GraphWorkerConfig } from '@policyvault/graph';

export class CaptureWorkerConfig extends GraphWorkerConfig {
  override PORT = 3002;

  /** Many runs store snapshots at once (COMMAND_CONCURRENCY × reads in flight): a larger pool than the default. */
  override DATABASE_POOL_SIZE = 20;
}
