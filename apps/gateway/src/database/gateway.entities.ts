import { RejectedMessageEntity } from '@policyvault/platform';
import { FleetBatchRunEntity } from '../fleet/fleet-batch-run.entity.js';
import { FleetBatchEntity } from '../fleet/fleet-batch.entity.js';
import { IdempotencyKeyEntity } from '../idempotency/idempotency-key.entity.js';
import { MembershipEntity } from '../tenants/membership.entity.js';
import { TenantEntity } from '../tenants/tenant.entity.js';
import { UserEntity } from '../tenants/user.entity.js';

/** Every table of the `gateway` schema, described exactly as the migrations make it. */
export const GATEWAY_ENTITIES = [UserEntity, TenantEntity, MembershipEntity, FleetBatchEntity, FleetBatchRunEntity, RejectedMessageEntity, IdempotencyKeyEntity];
