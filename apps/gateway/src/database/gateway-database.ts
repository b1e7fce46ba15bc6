import type { ServiceDatabaseOptions } from '@policyvault/platform';
import { MembershipEntity } from '../tenants/membership.entity.js';
import { TenantEntity } from '../tenants/tenant.entity.js';
import { UserEntity } from '../tenants/user.entity.js';
import { CreateDirectoryTables1732320000000 } from './migrations/1732320000000-create-directory-tables.migration.js';

/** The gateway owns (and is the only writer of) the `gateway` schema: users, tenants, memberships. */
export const GATEWAY_DATABASE: ServiceDatabaseOptions = {
  schema: 'gateway',
  entities: [UserEntity, TenantEntity, MembershipEntity],
  migrations: [CreateDirectoryTables1732320000000],
};
