import { Module } from '@nestjs/common';
import { EventConsumerModule } from '@policyvault/platform';
import { AuditService } from '../audit/audit.service.js';
import { OutboxRelay } from '../outbox/outbox-relay.service.js';
import { RunRpcController } from '../rpc/run-rpc.controller.js';
import { ApplyWorkerEventService } from '../worker-events/apply-worker-event.service.js';
import { WORKER_EVENT_HANDLERS, WORKER_EVENTS_CONSUMER } from '../worker-events/worker-events.consumer.js';
import { CancelRunService } from './cancel-run.service.js';
import { RunQueriesService } from './run-queries.service.js';
import { RunRepository } from './run.repository.js';
import { StartRunService } from './start-run.service.js';
import { RestoreConfirmationCheck } from './restore-confirmation.check.js';
import { ScheduleFollowUp } from '../schedules/schedule-follow-up.service.js';
import { IdempotencyAnchors } from '../idempotency/idempotency-anchors.js';

@Module({
  imports: [EventConsumerModule.register(WORKER_EVENTS_CONSUMER)],
  controllers: [RunRpcController],
  providers: [RunRepository, StartRunService, RestoreConfirmationCheck, CancelRunService, RunQueriesService, OutboxRelay, ApplyWorkerEventService, ...WORKER_EVENT_HANDLERS, AuditService, ScheduleFollowUp, IdempotencyAnchors],
  exports: [StartRunService, OutboxRelay, AuditService, RunRepository, CancelRunService, IdempotencyAnchors],
})
export class RunsModule {}
