// A removed tenant in run-service (it owns the retention clock) and the purge event every service that
// holds tenant data consumes once the retention has passed.
import { Type } from 'class-transformer';
import { IsISO8601, IsUUID, ValidateNested } from 'class-validator';
import { RunInitiatorMessage } from './run-rpc.messages.js';

/** Why a run was canceled when nobody asked for that run in particular: its tenant was removed. */
export const TENANT_REMOVED_CANCEL_REASON = 'tenant_removed';

/**
 * The gateway disabled (removed) a tenant: run-service pauses its schedules, cancels its queued and
 * running runs through the one cancel path, and starts the retention clock at `disabledAt`.
 * Idempotent: asking again pauses and cancels what is left and keeps the first `disabledAt`.
 */
export class RemoveTenantRequest {
  @IsUUID('all')
  tenantId: string;

  /** The gateway's `tenants.disabled_at` (UTC ISO): the retention runs from here. */
  @IsISO8601({ strict: true })
  disabledAt: string;

  @ValidateNested()
  @Type(() => RunInitiatorMessage)
  requestedBy: RunInitiatorMessage;
}

export interface RemoveTenantReply {
  /** Schedules paused by this request (0 when all were paused already). */
  pausedSchedules: number;
  /** Queued runs canceled at once by this request. */
  canceledRuns: number;
  /** Running runs asked to stop (their worker ends them `canceled` at its next checkpoint). */
  cancelRequestedRuns: number;
  /** When the tenant's data will be purged (UTC ISO): `disabledAt` + the retention. */
  purgeAfter: string;
}

/**
 * Published once per removed tenant when its retention has passed (subject `evt.tenant.purge.v1.<tenant>`):
 * each service deletes what it holds of the tenant. Handlers delete by tenant id, so a redelivery is a no-op.
 */
export class TenantPurgeEvent {
  @IsUUID('all')
  tenantId: string;

  @IsISO8601({ strict: true })
  disabledAt: string;

  @IsISO8601({ strict: true })
  purgedAt: string;
}
