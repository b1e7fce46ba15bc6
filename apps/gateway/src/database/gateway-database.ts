import type { ServiceDatabaseOptions } from '@policyvault/platform';
import { GATEWAY_ENTITIES } from './gateway.entities.js';
import { CreateDirectoryTables1732320000000 } from './migrations/1732320000000-create-directory-tables.migration.js';
import { AddMspDirectory1732330000000 } from './migrations/1732330000000-add-msp-directory.migration.js';
import { CreateFleetBatchTables1733000000000 } from './migrations/1733000000000-create-fleet-batch-tables.migration.js';
import { CreateRejectedMessages1769000000000 } from './migrations/1769000000000-create-rejected-messages.migration.js';
import { CreateIdempotencyKeys1769400000000 } from './migrations/1769400000000-create-idempotency-keys.migration.js';
import { KeyRejectedMessagesByStreamMessage1769500000000 } from './migrations/1769500000000-key-rejected-messages-by-stream-message.migration.js';

/** The gateway owns (and is the only writer of) the `gateway` schema: users, tenants, memberships, fleet batches,
 * Idempotency-Key claims, and the events its consumer (tenant purges) could not process. */
export const GATEWAY_DATABASE: ServiceDatabaseOptions = {
  schema: 'gateway',
  entities: GATEWAY_ENTITIES,
  migrations: [CreateDirectoryTables1732320000000, AddMspDirectory1732330000000, CreateFleetBatchTables1733000000000, CreateRejectedMessages1769000000000, CreateIdempotencyKeys1769400000000, KeyRejectedMessagesByStreamMessage1769500000000],
};
