import { CreateRunTables1732300000000 } from './migrations/1732300000000-create-run-tables.js';
import { CreateScheduleAndAuditTables1732400000000 } from './migrations/1732400000000-create-schedule-and-audit-tables.js';
import { PauseTenantSchedules1732500000000 } from './migrations/1732500000000-pause-tenant-schedules.js';
import { AddScheduleAction1768200000000 } from './migrations/1768200000000-add-schedule-action.js';
import { CreateFleetIndexes1733000000000 } from './migrations/1733000000000-create-fleet-indexes.js';
import { RemovedTenants1769000000000 } from './migrations/1769000000000-removed-tenants.js';
import { CreateTenantFleetStatus1769100000000 } from './migrations/1769100000000-create-tenant-fleet-status.js';
import { AddRunFinishReportedAt1769600000000 } from './migrations/1769600000000-add-run-finish-reported-at.js';
import { AddOutboxTraceContext1769700000000 } from './migrations/1769700000000-add-outbox-trace-context.js';
import { CreateIdempotencyAnchors1769400000000 } from './migrations/1769400000000-create-idempotency-anchors.js';
import { IdempotencyAnchorEntity } from '../idempotency/idempotency-anchor.entity.js';
import { TenantFleetStatusEntity } from '../fleet/tenant-fleet-status.entity.js';
import { RemovedTenantEntity } from '../tenants/removed-tenant.entity.js';
import { BackupScheduleEntity } from '../schedules/backup-schedule.entity.js';
import { ScheduleSlotEntity } from '../schedules/schedule-slot.entity.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { RunEntity } from '../runs/run.entity.js';
import { RunItemEntity } from '../runs/run-item.entity.js';
import { OutboxEntity } from '../outbox/outbox.entity.js';
import { RejectedMessageEntity } from '@policyvault/platform';
import { KeyRejectedMessagesByStreamMessage1769500000000 } from './migrations/1769500000000-key-rejected-messages-by-stream-message.migration.js';

/** Everything run-service owns in Postgres, in its own schema. */
export const RUN_SERVICE_DATABASE = {
  schema: 'run_service',
  entities: [RunEntity, RunItemEntity, OutboxEntity, RejectedMessageEntity, BackupScheduleEntity, ScheduleSlotEntity, AuditEventEntity, RemovedTenantEntity, TenantFleetStatusEntity, IdempotencyAnchorEntity],
  migrations: [CreateRunTables1732300000000, CreateScheduleAndAuditTables1732400000000, PauseTenantSchedules1732500000000, CreateFleetIndexes1733000000000, AddScheduleAction1768200000000, RemovedTenants1769000000000, CreateTenantFleetStatus1769100000000, CreateIdempotencyAnchors1769400000000, KeyRejectedMessagesByStreamMessage1769500000000, AddRunFinishReportedAt1769600000000, AddOutboxTraceContext1769700000000],
};
