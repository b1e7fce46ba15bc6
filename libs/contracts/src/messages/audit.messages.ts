// Audit events (owned by run-service): live restores, schedule dispatch, schedule outcomes, retention.
import { IsOptional, IsUUID } from 'class-validator';
import { PageRequest } from './run-rpc.messages.js';

export class ListAuditEventsRequest extends PageRequest {
  @IsUUID('all')
  tenantId: string;

  @IsOptional()
  @IsUUID('all')
  runId?: string;

  @IsOptional()
  @IsUUID('all')
  scheduleId?: string;
}

export interface AuditEventView {
  id: string;
  tenantId: string;
  /** An email for people, `system:scheduler` for the dispatcher. */
  actor: string;
  actorUserId: string | null;
  /** e.g. `restore.executed`, `backup_schedule.dispatched`, `backup_schedule.slot_skipped`, `backup_schedule.retention_applied` */
  action: string;
  runId: string | null;
  scheduleId: string | null;
  /** Secret-free details: item ids and outcomes, counts, removed backup sets… */
  details: Record<string, unknown>;
  occurredAt: string;
}
